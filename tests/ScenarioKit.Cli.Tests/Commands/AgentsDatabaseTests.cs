using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Commands;

/// <summary>
/// <c>agents</c> and <c>serve</c> open the same database file, however it is named: as real processes, because the
/// configuration sources (./appsettings.json, ScenarioKit__DatabasePath) are the process's working folder and environment.
/// </summary>
public sealed class AgentsDatabaseTests
{
    public enum Naming
    {
        DbOption,
        EnvironmentVariable,
        AppSettings,
    }

    [Theory]
    [InlineData(Naming.DbOption)]
    [InlineData(Naming.EnvironmentVariable)]
    [InlineData(Naming.AppSettings)]
    public async Task Agents_and_serve_use_the_same_file(Naming naming)
    {
        using var temp = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["ScenarioKit__DatabasePath"] = null };
        string[] dbArgs = [];
        switch (naming)
        {
            case Naming.DbOption:
                dbArgs = ["--db", "data/hub.db"];
                break;
            case Naming.EnvironmentVariable:
                environment["ScenarioKit__DatabasePath"] = "data/hub.db";
                break;
            case Naming.AppSettings:
                File.WriteAllText(temp.Combine("appsettings.json"), """{ "ScenarioKit": { "DatabasePath": "data/hub.db" } }""");
                break;
        }

        var add = await RunInAsync(temp.Path, "correct horse battery\n", environment, ["agents", "add", "sato", "--name", "佐藤 花子", "--queues", "support", "--password-stdin", .. dbArgs]);
        Assert.True(add.ExitCode == ExitCodes.Success, add.ToString());
        await ServeUntilListeningAsync(temp.Path, environment, ["serve", RepoPaths.Combine("scenarios", "reference-support"), "--urls", "http://127.0.0.1:0", .. dbArgs]);

        var file = temp.Combine("data", "hub.db");
        Assert.Equal(["activities", "conversations", "hub_agents", "packages"], Tables(file).Where(t => t is "hub_agents" or "conversations" or "activities" or "packages").Order());
        Assert.Equal("佐藤 花子", Scalar(file, "SELECT display_name FROM hub_agents WHERE login = 'sato'"));
        // serve archived the package it loaded in the file agents wrote to.
        Assert.NotEqual(0L, Scalar(file, "SELECT count(*) FROM packages"));
        Assert.False(File.Exists(temp.Combine("scenariokit.db")));
    }

    static async Task<ProcessRun> RunInAsync(string folder, string stdin, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var info = CliProcess.StartInfo(environment, args);
        info.WorkingDirectory = folder;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }

    static async Task ServeUntilListeningAsync(string folder, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var info = CliProcess.StartInfo(environment, args);
        info.WorkingDirectory = folder;
        using var process = Process.Start(info)!;
        try
        {
            await CliProcess.ReadListeningUrlAsync(process);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    static List<string> Tables(string file) =>
        Query(file, "SELECT name FROM sqlite_master WHERE type = 'table'").Select(o => (string)o!).ToList();

    static object? Scalar(string file, string sql) => Query(file, sql).Single();

    static List<object?> Query(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read()) values.Add(reader.GetValue(0));
        return values;
    }
}
