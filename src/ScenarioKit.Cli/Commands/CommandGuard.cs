using ScenarioKit.Cli.Console;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

/// <summary>
/// The one boundary between a command's work and the process: file-system and data problems become a
/// one-line message and an exit code, never a stack trace.
/// </summary>
internal static class CommandGuard
{
    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            context.Error.MarkupLine("[yellow]cancelled[/]");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException or System.Security.SecurityException
            or ScenarioKit.Server.Hosting.ServerSettingsException)
        {
            return Fail(context, Describe(e));
        }
    }

    /// <summary>
    /// The exception's message, and for a settings file that is not JSON (appsettings.json) where and what: the
    /// configuration's own message names only the file.
    /// </summary>
    static string Describe(Exception e)
    {
        // FileConfigurationProvider wraps the JSON provider's exception, which wraps the reader's.
        var inner = e.InnerException;
        while (inner is not null and not System.Text.Json.JsonException) inner = inner.InnerException;
        if (e is not InvalidDataException || inner is not System.Text.Json.JsonException { LineNumber: { } line, BytePositionInLine: { } position } json)
            return e.Message;
        var what = json.Message;
        foreach (var cut in new[] { " Path:", " LineNumber:" })
            if (what.IndexOf(cut, StringComparison.Ordinal) is var at and > 0) what = what[..at];
        return $"{e.Message.TrimEnd('.')} (line {line + 1}, byte {position + 1}): {what.Trim()}";
    }

    /// <summary>Writes "error: …" and returns <see cref="ExitCodes.Usage"/>: the command line asked for something impossible.</summary>
    public static int Usage(CliContext context, string message)
    {
        context.Error.MarkupLine($"[red]error:[/] {message.EscapeMarkup()}");
        return ExitCodes.Usage;
    }

    /// <summary>Writes "error: …" and returns <see cref="ExitCodes.Failed"/>.</summary>
    public static int Fail(CliContext context, string message)
    {
        context.Error.MarkupLine($"[red]error:[/] {message.EscapeMarkup()}");
        return ExitCodes.Failed;
    }
}
