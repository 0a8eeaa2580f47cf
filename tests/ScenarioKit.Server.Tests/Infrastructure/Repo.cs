using System.Diagnostics;
using System.Text;

namespace ScenarioKit.Server.Tests.Infrastructure;

internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string ReferenceScenario => Path.Combine(Root, "scenarios", "reference-support");

    public static string Clients => Path.Combine(Root, "tests", "clients");

    /// <summary>Where tests keep screenshots and logs: TestResults/artifacts under the test output.</summary>
    public static string Artifacts
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScenarioKit.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"ScenarioKit.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// Runs a JavaScript driver from tests/clients with Node. Node and the npm packages are installed by
/// test.sh; when they are missing the test fails with a message saying how to install them.
/// </summary>
internal static class Node
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
    }

    public static async Task<Result> RunAsync(string script, IEnumerable<string> args, TimeSpan timeout)
    {
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "node is not installed: the Bot Framework client tests need Node.js 20+ (test.sh expects it; apt-get install nodejs).");
        if (!Directory.Exists(Path.Combine(Repo.Clients, "node_modules", "botframework-directlinejs")))
            throw new InvalidOperationException($"npm packages are not installed in {Repo.Clients}: run `npm ci` there (test.sh does).");
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Repo.Clients,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Result(-1, await stdout, await stderr + $"\n(killed after {timeout.TotalSeconds} s)");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
