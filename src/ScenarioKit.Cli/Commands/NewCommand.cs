using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using ScenarioKit.Cli.Console;
using ScenarioKit.Cli.Templates;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

internal static partial class NewCommand
{
    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex ScenarioId();

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name")
        {
            Description = "Name of the scenario folder to create. Also gives the scenario id (lower-case letters, digits and '-') unless --id is set.",
        };
        var locale = new Option<string>("--locale", "-l")
        {
            Description = "Language of the scaffold's texts and tests: ja-JP (Japanese) or en-US (English).",
            DefaultValueFactory = _ => "en-US",
        };
        locale.AcceptOnlyFromAmong([.. ScaffoldTemplates.Locales]);
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Folder in which to create the <name> folder (default: the current folder).",
            HelpName = "dir",
        };
        var id = new Option<string?>("--id")
        {
            Description = "Scenario id, when the folder name does not give one (for example a Japanese name): ^[a-z][a-z0-9-]*$.",
            HelpName = "id",
        };

        var command = new Command("new", "Create a scenario folder: scenario.yaml, flows/, intents/, tests/ and a local copy of the JSON schema for editor completion. Refuses to write into a folder that is not empty.")
        {
            name, locale, output, id,
        };
        HelpExamples.Set(command,
            "scenariokit new shop-support",
            "scenariokit new 通販サポート --locale ja-JP --id shop-support",
            "scenariokit new telecom -o scenarios");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, () =>
            Task.FromResult(Run(context, result.GetRequiredValue(name), result.GetRequiredValue(locale), result.GetValue(output), result.GetValue(id)))));
        return command;
    }

    static int Run(CliContext context, string name, string locale, string? outputFolder, string? explicitId)
    {
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/') || name.Contains('\\'))
            return CommandGuard.Usage(context, $"'{name}' is not a folder name. Give a plain name such as shop-support (use -o to choose where it is created).");

        var scenarioId = explicitId ?? DeriveId(name);
        if (scenarioId is null)
            return CommandGuard.Usage(context, $"cannot make a scenario id from '{name}'. Add --id with lower-case letters, digits and '-', for example --id shop-support.");
        if (!ScenarioId().IsMatch(scenarioId))
            return CommandGuard.Usage(context, $"'{scenarioId}' is not a valid scenario id: use lower-case letters, digits and '-', starting with a letter.");

        var folder = Path.GetFullPath(Path.Combine(outputFolder ?? Directory.GetCurrentDirectory(), name));
        if (File.Exists(folder))
            return CommandGuard.Usage(context, $"{folder} is a file. Choose another name.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            return CommandGuard.Usage(context, $"{folder} already exists and is not empty; nothing was written. Choose another name or remove the folder.");

        var files = ScaffoldTemplates.Render(locale, scenarioId, name);
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file.RelativePath.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        var console = context.Out;
        console.MarkupLine($"[green]Created[/] scenario [bold]{scenarioId.EscapeMarkup()}[/] ({locale}) in {folder.EscapeMarkup()}");
        foreach (var file in files.Where(f => !f.RelativePath.StartsWith(ScaffoldTemplates.SchemaFolder + "/", StringComparison.Ordinal)))
            console.MarkupLine($"  {file.RelativePath.EscapeMarkup()}");
        console.MarkupLine($"  {ScaffoldTemplates.SchemaFolder}/ [dim](JSON schemas for editor completion)[/]");
        console.WriteLine();
        console.MarkupLine("Next steps:");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), folder);
        var shown = relative.Contains(' ', StringComparison.Ordinal) ? $"\"{relative}\"" : relative;
        foreach (var next in new[] { "validate", "test", "chat" })
        {
            var target = next == "test" ? Path.Combine(shown, "tests") : shown;
            console.MarkupLine($"  scenariokit {next} {target.EscapeMarkup()}");
        }
        return ExitCodes.Success;
    }

    /// <summary>Lower-cases ASCII letters and digits; any other run of characters becomes one '-'. Null when nothing usable is left.</summary>
    internal static string? DeriveId(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
                sb.Append(char.ToLowerInvariant(c));
            else if (sb.Length > 0 && sb[^1] != '-')
                sb.Append('-');
        }
        var id = sb.ToString().Trim('-');
        while (id.Length > 0 && !char.IsAsciiLetterLower(id[0]))
            id = id[1..].TrimStart('-');
        return id.Length == 0 ? null : id;
    }
}
