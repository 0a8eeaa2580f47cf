using System.CommandLine;
using System.Text.Json.Nodes;
using ScenarioKit.Cli.Chat;
using ScenarioKit.Cli.Console;
using ScenarioKit.Engine;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Testing.Mocks;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

/// <summary><c>--mock action=value</c> and <c>--mocks file</c>, shared by <c>chat</c> and <c>serve</c>.</summary>
internal static class MockOptions
{
    public static Option<string[]> Values() => new("--mock", "-m")
    {
        Description = "Answer an action with a value instead of running it: action=value (JSON when it parses as JSON, otherwise text). Repeatable; wins over --mocks.",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "action=value",
    };

    public static Option<string?> File() => new("--mocks")
    {
        Description = "Answer actions from a mocks file: 'mocks:' in the test runner's format (returns, fails, delayMs, with; see docs/testing.md), e.g. the demo.mocks.yaml each sample ships.",
        HelpName = "file",
    };

    /// <summary>The given mocks, or null (after printing why, <paramref name="exitCode"/> saying how bad) when one is unusable.</summary>
    public static Given? Read(CliContext context, IReadOnlyList<string> entries, string? file, out int exitCode)
    {
        exitCode = ExitCodes.Usage;
        var values = new Dictionary<string, ActionOutcome>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                CommandGuard.Usage(context, $"--mock '{entry}' is not action=value, e.g. --mock lookupOrder=shipped.");
                return null;
            }
            JsonNode? value;
            try
            {
                value = CommandLineValue.Parse(entry[(eq + 1)..]);
            }
            catch (FormatException e)
            {
                CommandGuard.Usage(context, "--mock " + entry[..eq] + ": " + e.Message);
                return null;
            }
            values[entry[..eq]] = ActionOutcome.Success(value);
        }

        ActionMockFile? mocks = null;
        if (file is not null)
        {
            if (!System.IO.File.Exists(file))
            {
                CommandGuard.Usage(context, $"{file} does not exist.");
                return null;
            }
            var (read, diagnostics) = ActionMockFile.Read(file);
            if (!diagnostics.IsEmpty)
                context.Error.WriteLine(DiagnosticFormatter.FormatLines(diagnostics).TrimEnd());
            if (read is null)
            {
                exitCode = CommandGuard.Fail(context, $"--mocks {file} has errors.");
                return null;
            }
            mocks = read;
        }
        exitCode = ExitCodes.Success;
        return new Given(values, mocks);
    }

    /// <summary>What <c>--mock</c> and <c>--mocks</c> gave: <c>--mock</c> values win over the file.</summary>
    internal sealed record Given(IReadOnlyDictionary<string, ActionOutcome> Values, ActionMockFile? File)
    {
        public IReadOnlyList<string> Actions => [.. (File?.Actions ?? []).Concat(Values.Keys).Distinct(StringComparer.Ordinal)];

        /// <summary>Puts the mocks in front of <paramref name="real"/>; <paramref name="problem"/> hears calls a mock refused.</summary>
        public IActionInvoker Wrap(IActionInvoker real, TimeProvider time, Action<string> problem)
        {
            var inner = File?.CreateInvoker(real, time, problem) ?? real;
            return Values.Count > 0 ? new MockActionInvoker(Values, fallback: inner) : inner;
        }
    }

    public static Action<string> PrintProblem(CliContext context) =>
        problem => context.Error.MarkupLine("[yellow]mock:[/] " + problem.EscapeMarkup());
}
