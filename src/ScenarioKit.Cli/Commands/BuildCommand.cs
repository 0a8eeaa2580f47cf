using System.CommandLine;
using System.Globalization;
using ScenarioKit.Cli.Console;
using ScenarioKit.Model;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

internal static class BuildCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path")
        {
            Description = "A scenario folder (holding scenario.yaml) or a scenario .yaml file.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder to write <id>-<version>.skpkg into; created when missing.",
            HelpName = "dir",
            DefaultValueFactory = _ => ".",
        };
        var warningsAsErrors = new Option<bool>("--warnaserror")
        {
            Description = "Report warnings as errors, so they stop the build (exit code 1).",
        };

        var language = ScenarioCompilation.LanguageOption();

        var command = new Command("build", "Validate a scenario, then write its package (.skpkg: compiled model + manifest with id, version, language and compiler versions, content hash). The same input always gives the same bytes.")
        {
            path, output, warningsAsErrors, language,
        };
        HelpExamples.Set(command,
            "scenariokit build scenarios/retail-support -o out",
            "scenariokit build shop-support -o packages --warnaserror");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var source = result.GetRequiredValue(path);
            if (!File.Exists(source) && !Directory.Exists(source))
                return CommandGuard.Usage(context, $"{source} does not exist.");

            var compiled = ScenarioCompilation.Compile(source, result.GetValue(warningsAsErrors), result.GetValue(language));
            if (!compiled.Diagnostics.IsEmpty)
                ScenarioCompilation.WriteText(compiled, result.InvocationConfiguration.Output, context.OutSupportsColor);
            if (compiled.Package is not { } package || compiled.Diagnostics.Any(d => d.IsError))
            {
                context.Out.MarkupLine(ValidateCommand.Styled(ScenarioCompilation.Summary(compiled.Diagnostics, 1) + "; no package written", failed: true));
                return ExitCodes.Failed;
            }

            var folder = result.GetRequiredValue(output);
            var file = Path.Combine(folder, $"{package.Manifest.Id}-{package.Manifest.Version}{PackageFormat.FileExtension}");
            var bytes = PackageFormat.Write(package);
            try
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllBytesAsync(file, bytes, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The framework's message names only the path it stopped at (a file where the folder should be, a folder
                // that cannot be made): say which package could not go where.
                var why = File.Exists(folder) ? $"{folder} is a file, not a folder" : e.Message;
                return CommandGuard.Fail(context, $"Cannot write {file}: {why}");
            }

            var manifest = package.Manifest;
            var console = context.Out;
            console.MarkupLine($"[green]Built[/] {file.EscapeMarkup()} ({bytes.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
            // Plain aligned lines rather than a table: no trailing padding in CI logs, and scripts can read "key value".
            foreach (var (key, value) in new[]
            {
                ("id", manifest.Id), ("version", manifest.Version), ("locale", manifest.Locale),
                ("language", manifest.LanguageVersion.ToString(CultureInfo.InvariantCulture)),
                ("compiler", manifest.CompilerVersion), ("hash", manifest.ContentHash),
            })
                console.MarkupLine($"  [dim]{key,-9}[/]{value.EscapeMarkup()}");
            if (!compiled.Diagnostics.IsEmpty)
                console.MarkupLine($"[yellow]{ScenarioCompilation.Summary(compiled.Diagnostics, 1).EscapeMarkup()}[/]");
            return ExitCodes.Success;
        }));
        return command;
    }
}
