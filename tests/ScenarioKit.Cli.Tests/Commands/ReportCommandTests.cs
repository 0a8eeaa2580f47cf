using Microsoft.Data.Sqlite;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Language;
using ScenarioKit.Model;
using ScenarioKit.Storage;

namespace ScenarioKit.Cli.Tests.Commands;

/// <summary><c>scenariokit report</c> in process over a temp database holding reference-support turns (issue 13).</summary>
public sealed class ReportCommandTests : IDisposable
{
    readonly TempDirectory _temp = new();

    string Db => _temp.Combine("state.db");

    string Out => _temp.Combine("out");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two contained order conversations, two that went quiet at the ask, one not understood (with an e-mail address).</summary>
    async Task FillAsync()
    {
        await using var store = new SqliteConversationStore(Db, fullSync: false);
        var package = ScenarioCompiler.Compile(RepoPaths.Combine("scenarios", "reference-support")).Package!;
        await store.SavePackageAsync("reference-support", "1.0.0", package.Manifest.ContentHash, PackageFormat.Write(package), Ct);
        var ask = new TurnSummary { Input = "message", Text = "where is my order", Intent = "order_status", FlowsStarted = ["order_status"], Steps = ["order_status/0"], Flow = "order_status", WaitingStep = "order_status/0" };
        var answer = new TurnSummary { Input = "message", Text = "12345678", Steps = ["order_status/1", "order_status/2", "order_status/3", "order_status/4"] };
        var lost = new TurnSummary { Input = "message", Text = "mail me at jane@example.com", Fallback = true };
        TurnSummary[][] conversations = [[ask, answer], [ask, answer], [ask], [ask], [lost]];
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        for (var c = 0; c < conversations.Length; c++)
        {
            for (var t = 0; t < conversations[c].Length; t++)
            {
                var key = $"k{c}";
                var record = new ConversationRecord(key, key, "test", "reference-support", "1.0.0", "u", ReadOnlyMemory<byte>.Empty, t + 1, 0, true, false, at, at);
                await store.SaveAsync(new TurnWrite(record, t, []) { Turn = new TurnLogEntry(key, t + 1, at.AddMinutes(t), "reference-support", "1.0.0", conversations[c][t].ToUtf8Json()) }, Ct);
            }
        }
    }

    [Fact]
    public async Task Writes_the_html_report_and_fails_under_the_line()
    {
        await FillAsync();
        var ok = await CliHarness.RunAsync("report", "--db", Db, "-o", Out);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("5 conversations (2 contained, 0 escalated, 2 abandoned, 1 unengaged)", ok.Out);
        var html = await File.ReadAllTextAsync(Path.Combine(Out, "report.html"), Ct);
        Assert.Contains("order_status", html);
        Assert.DoesNotContain("jane@example.com", html);

        var failing = await CliHarness.RunAsync("report", "--db", Db, "-o", Out, "--format", "json", "--fail-under", "85", "--min-sample", "2");
        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.Contains("order_status contained 50% of 4", failing.Error);
        Assert.True(File.Exists(Path.Combine(Out, "report.json")));
    }

    [Fact]
    public async Task Csv_and_suggestions_and_an_audited_unmasked_run()
    {
        await FillAsync();
        await using (var hub = new SqliteHubStore(Db)) { }
        var run = await CliHarness.RunAsync("report", "--db", Db, "-o", Out, "--format", "csv", "--suggest", "--no-mask", "--session-timeout", "45m");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--no-mask", run.Error);
        Assert.Contains("order_status,high,4,2,0,2,", await File.ReadAllTextAsync(Path.Combine(Out, "intents.csv"), Ct));
        Assert.Contains("jane@example.com", await File.ReadAllTextAsync(Path.Combine(Out, "accuracy-suggestions.reference-support.yaml"), Ct));
        await using var store = new SqliteHubStore(Db);
        Assert.Contains(await store.ReadAuditAsync(new AuditQuery(), Ct), a => a.Action == AuditActions.ReportUnmasked);
    }

    [Theory]
    [InlineData("--session-timeout", "soon")]
    [InlineData("--from", "yesterday")]
    [InlineData("--compare", "1.0.0")]
    [InlineData("--fail-under", "120")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        await FillAsync();
        var run = await CliHarness.RunAsync("report", "--db", Db, "-o", Out, option, value);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(option, run.Error);
    }

    [Fact]
    public async Task A_missing_database_is_an_error_not_a_new_file()
    {
        var run = await CliHarness.RunAsync("report", "--db", Db, "-o", Out);
        Assert.Equal(1, run.ExitCode);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task A_database_of_a_newer_layout_is_an_error_naming_the_file()
    {
        using (var connection = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteConversationStore.LayoutVersion + 1}";
            command.ExecuteNonQuery();
        }

        var run = await CliHarness.RunAsync("report", "--db", Db, "-o", Out);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error:", run.Error, StringComparison.Ordinal);
        Assert.Contains(Db, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
