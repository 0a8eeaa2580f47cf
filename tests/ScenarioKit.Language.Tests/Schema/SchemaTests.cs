using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Schema;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Language.Tests.Golden;

namespace ScenarioKit.Language.Tests.Schema;

public class SchemaTests
{
    [Fact]
    public void The_schema_is_embedded_in_the_assembly() => Assert.True(SchemaValidator.HasEmbeddedSchema);

    public static TheoryData<string> SchemaCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in GoldenTests.AllCases().Where(c => c.StartsWith("schema/", StringComparison.Ordinal))) data.Add(c);
        return data;
    }

    /// <summary>Golden/schema/ holds the schema-invalid cases: the JSON Schema alone must reject each (binder-only shape checks live in Golden/values/).</summary>
    [Theory]
    [MemberData(nameof(SchemaCases))]
    public void Schema_invalid_golden_file_fails_the_schema_check(string relative)
    {
        var bag = new DiagnosticBag("en");
        var syntax = ScenarioLoader.Load(Path.Combine(GoldenTests.GoldenDirectory, relative), TestPaths.English, bag);
        Assert.False(bag.HasErrors, "the case should be valid YAML");
        Assert.NotNull(syntax.Root);
        SchemaValidator.Validate(syntax.Root, TestPaths.English, bag);
        Assert.True(bag.HasErrors, $"{relative} passes the JSON schema");
    }

    [Fact]
    public void Closest_oneOf_branch_is_reported_with_a_suggestion_not_the_whole_tree()
    {
        var result = ScenarioCompiler.CompileText("""
            scenarioKit: 1
            id: demo
            version: 1.0.0
            locale: ja-JP
            variables: { order.number: string }
            intents: { greet: { examples: [a1, b2, c3, d4, e5] } }
            flows:
              hello:
                trigger: { intent: greet }
                steps:
                  - ask: order.number
                    promt: "注文番号は？"
            """, "s.yaml", TestPaths.English);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SK2003", d.Id);
        Assert.Equal((12, 9), (d.Span.Line, d.Span.Column));
        Assert.Contains("did you mean 'prompt'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sample_scenario_compiles_without_errors_or_warnings()
    {
        var root = Path.Combine(TestPaths.RepositoryRoot, "scenarios");
        var scenarios = Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(scenarios);
        foreach (var dir in scenarios)
        {
            var result = ScenarioCompiler.Compile(dir, TestPaths.English);
            Assert.True(result.Diagnostics.IsEmpty, $"{dir}:\n{DiagnosticFormatter.FormatLines(result.Diagnostics)}");
            Assert.NotNull(result.Package);
        }
    }
}

public class SchemaShortcutTests
{
    /// <summary>The validator checks messages at the positions it knows; if the schema gains a message elsewhere, update SchemaValidator.MessagePositions.</summary>
    [Fact]
    public void The_validator_knows_every_place_the_schema_puts_a_message()
    {
        var schema = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "schema", "scenario.schema.json")));
        var found = schema.Descendants().OfType<Newtonsoft.Json.Linq.JProperty>()
            .Where(p => p.Name == "$ref" && (string?)p.Value == "#/definitions/message")
            .Select(p => "/" + p.Parent!.Path.Replace("['", "", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal)
                .Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Replace('.', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(SchemaValidator.MessagePositions.Order(StringComparer.Ordinal), found);
    }
}
