using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ScenarioKit.Cli.Tests.Support;

internal sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the built <c>scenariokit</c> as a real process (the copy MSBuild placed beside the test binaries),
/// with redirected stdin/stdout/stderr in UTF-8: what a shell pipe or CI job sees.
/// </summary>
internal static partial class CliProcess
{
    [GeneratedRegex(@"Listening on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex ListeningLine();

    /// <summary>Reads the server's stdout until its "Listening on" line and returns that address.</summary>
    public static async Task<string> ReadListeningUrlAsync(Process process, TimeSpan? within = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within ?? TimeSpan.FromMinutes(1));
        var seen = new StringBuilder();
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            if (ListeningLine().Match(line) is { Success: true } match)
                return match.Groups[1].Value;
        }
        throw new InvalidOperationException("the server stopped before listening:\n" + seen + await process.StandardError.ReadToEndAsync(CancellationToken.None));
    }

    static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "scenariokit.dll");

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = RepoPaths.Root,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment.Remove("NO_COLOR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            info.Environment[key] = value;
        return info;
    }

    public static async Task<ProcessRun> RunAsync(string stdin, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The dotnet host running these tests (so the CLI runs on the same runtime), else dotnet on the PATH.</summary>
    static string DotnetHost()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(root) && File.Exists(root))
            return root;
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/ → .../dotnet/dotnet
        var candidate = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
