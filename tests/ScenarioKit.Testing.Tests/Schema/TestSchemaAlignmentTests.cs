using NJsonSchema;
using ScenarioKit.Testing.Syntax;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Schema;

/// <summary>
/// The reader and the editor schemas (schema/scenario-test.schema.json, schema/intent-accuracy.schema.json, schema/scenario-mocks.schema.json,
/// written with the samples) must agree: every file the reader accepts without diagnostics in the
/// fixtures and the samples also validates against the schema.
/// </summary>
public class TestSchemaAlignmentTests
{
    public static TheoryData<string> Files() =>
        [.. Directory.GetFiles(Paths.Fixture("shop"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Paths.Root, "scenarios"), "*.yaml", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".test.yaml", StringComparison.Ordinal) || f.EndsWith(".accuracy.yaml", StringComparison.Ordinal) || f.EndsWith(".mocks.yaml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Paths.Root, f))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Files_the_reader_accepts_validate_against_the_schema(string relative)
    {
        var path = Path.Combine(Paths.Root, relative);
        var schemaFile = path.EndsWith(".accuracy.yaml", StringComparison.Ordinal) ? "intent-accuracy.schema.json"
            : path.EndsWith(".mocks.yaml", StringComparison.Ordinal) ? "scenario-mocks.schema.json"
            : "scenario-test.schema.json";
        var schema = await JsonSchema.FromFileAsync(Path.Combine(Paths.Root, "schema", schemaFile),
            TestContext.Current.CancellationToken);
        var diagnostics = new ScenarioKit.Testing.Diagnostics.DiagnosticBag();
        var root = YamlTree.Load(relative, File.ReadAllText(path), diagnostics);
        Assert.False(diagnostics.HasErrors);
        var errors = schema.Validate(YamlJson.ToJson(root!).GetRawText());
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }
}
