using System.Collections.Immutable;
using System.Reflection;
using System.Text;

namespace ScenarioKit.Cli.Templates;

/// <summary>One file of a scaffold: its path relative to the scenario folder and its text.</summary>
internal sealed record ScaffoldFile(string RelativePath, string Content);

/// <summary>The embedded templates of <c>scenariokit new</c>: one scenario per locale, plus the JSON schemas.</summary>
internal static class ScaffoldTemplates
{
    public static readonly ImmutableArray<string> Locales = ["en-US", "ja-JP"];

    /// <summary>Folder (inside the scaffold) that holds the schema copies; the templates' $schema lines point here.</summary>
    public const string SchemaFolder = ".scenariokit";

    const string TemplatePrefix = "templates/";
    const string SchemaPrefix = "schema/";
    const string TestTemplate = "tests/scenario.test.yaml";

    static readonly Assembly Assembly = typeof(ScaffoldTemplates).Assembly;

    /// <summary>The files of a new scenario in <paramref name="locale"/>, with its id and test file name filled in.</summary>
    public static ImmutableArray<ScaffoldFile> Render(string locale, string id, string testName)
    {
        if (!Locales.Contains(locale))
            throw new ArgumentOutOfRangeException(nameof(locale), locale, "no template for this locale");

        var files = ImmutableArray.CreateBuilder<ScaffoldFile>();
        var prefix = TemplatePrefix + locale + "/";
        // Sorted so the scaffold (and what `new` prints) is the same on every machine.
        foreach (var resource in ResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var relative = resource[prefix.Length..];
            if (relative == TestTemplate)
                relative = "tests/" + testName + ".test.yaml";
            files.Add(new ScaffoldFile(relative, Read(resource).Replace("{{id}}", id, StringComparison.Ordinal)));
        }
        foreach (var resource in ResourceNames().Where(n => n.StartsWith(SchemaPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            files.Add(new ScaffoldFile(SchemaFolder + "/" + resource[SchemaPrefix.Length..], Read(resource)));
        return files.ToImmutable();
    }

    // MSBuild's %(RecursiveDir) uses the build machine's separator; resource names are compared with '/'.
    static IEnumerable<string> ResourceNames() => Assembly.GetManifestResourceNames().Select(n => n.Replace('\\', '/'));

    static string Read(string normalizedName)
    {
        var actual = Assembly.GetManifestResourceNames().Single(n => n.Replace('\\', '/') == normalizedName);
        using var stream = Assembly.GetManifestResourceStream(actual)!;
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        return reader.ReadToEnd();
    }
}
