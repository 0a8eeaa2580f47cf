using System.CommandLine;
using ScenarioKit.Cli.Console;
using ScenarioKit.Language.Diagnostics;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Scenario folders (holding scenario.yaml) or scenario .yaml files.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (compiler format with the source line and a caret), json (one document for CI scripts) or sarif (SARIF 2.1.0 for code scanning).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var warningsAsErrors = new Option<bool>("--warnaserror")
        {
            Description = "Report warnings as errors, so they fail the run (exit code 1).",
        };

        var language = ScenarioCompilation.LanguageOption();

        var command = new Command("validate", "Check scenarios: YAML, JSON schema, references, flow analysis and expressions. Prints every diagnostic with file, line and column; exit code 1 when there are errors.")
        {
            paths, format, warningsAsErrors, language,
        };
        HelpExamples.Set(command,
            "scenariokit validate scenarios/retail-support",
            "scenariokit validate scenarios/* --warnaserror",
            "scenariokit validate scenarios/retail-support --format sarif > scenariokit.sarif");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, () =>
        {
            var given = result.GetRequiredValue(paths);
            if (given.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing)
                return Task.FromResult(CommandGuard.Usage(context, $"{missing} does not exist."));

            var results = new List<Language.CompilationResult>(given.Length);
            foreach (var path in given)
            {
                ct.ThrowIfCancellationRequested();
                results.Add(ScenarioCompilation.Compile(path, result.GetValue(warningsAsErrors), result.GetValue(language)));
            }
            var merged = ScenarioCompilation.Merge(results);
            var output = result.InvocationConfiguration.Output;
            var summary = ScenarioCompilation.Summary(merged.Diagnostics, results.Count);
            var failed = merged.Diagnostics.Any(d => d.IsError);

            switch (result.GetRequiredValue(format))
            {
                case "json":
                    DiagnosticFormatter.FormatJson(merged, output);
                    // stdout holds exactly one JSON document; the human summary goes to stderr.
                    context.Error.MarkupLine(Styled(summary, failed));
                    break;
                case "sarif":
                    DiagnosticFormatter.FormatSarif(merged, output);
                    context.Error.MarkupLine(Styled(summary, failed));
                    break;
                default:
                    ScenarioCompilation.WriteText(merged, output, context.OutSupportsColor);
                    context.Out.MarkupLine(Styled(summary, failed));
                    break;
            }
            return Task.FromResult(failed ? ExitCodes.Failed : ExitCodes.Success);
        }));
        return command;
    }

    internal static string Styled(string summary, bool failed) =>
        failed ? $"[red]{summary.EscapeMarkup()}[/]" : $"[green]{summary.EscapeMarkup()}[/]";
}
