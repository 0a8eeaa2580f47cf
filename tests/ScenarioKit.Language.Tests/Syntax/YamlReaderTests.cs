using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;

namespace ScenarioKit.Language.Tests.Syntax;

public class YamlReaderTests
{
    static YamlNode? Read(string text, DiagnosticBag? bag = null) =>
        YamlReader.Read(new SourceFile("s.yaml", text), bag ?? new DiagnosticBag("en"), TestPaths.English, new YamlReader.NodeBudget());

    [Fact]
    public void Spans_are_one_based_with_utf16_columns_and_exclusive_ends()
    {
        var root = (MappingNode)Read("a: 日本語\nbb: \"x\"\n")!;
        var a = (ScalarNode)root["a"]!;
        Assert.Equal((1, 4, 1, 7), (a.Span.Line, a.Span.Column, a.Span.EndLine, a.Span.EndColumn));
        var b = (ScalarNode)root["bb"]!;
        Assert.Equal((2, 5, 2, 8), (b.Span.Line, b.Span.Column, b.Span.EndLine, b.Span.EndColumn));
        Assert.True(b.Quoted);
    }

    [Theory]
    [InlineData("on", "String")]
    [InlineData("yes", "String")]
    [InlineData("1.0.0", "String")]
    [InlineData("09:00", "String")]
    [InlineData("123", "Integer")]
    [InlineData("-1.5e3", "Float")]
    [InlineData("0o17", "Integer")]
    [InlineData("true", "Boolean")]
    [InlineData("~", "Null")]
    [InlineData("\"123\"", "String")]
    [InlineData("'true'", "String")]
    [InlineData("!!str 5", "String")]
    public void Plain_scalars_resolve_by_the_yaml_12_core_schema(string text, string kind) =>
        Assert.Equal(kind, ((ScalarNode)((MappingNode)Read("v: " + text)!)["v"]!).Kind.ToString());

    [Fact]
    public void Aliases_share_nodes_and_count_their_expanded_size()
    {
        var bag = new DiagnosticBag("en");
        var budget = new YamlReader.NodeBudget();
        var root = YamlReader.Read(new SourceFile("s.yaml", "a: &x [1, 2, 3]\nb: *x\n"), bag, TestPaths.English, budget) as MappingNode;
        Assert.Same(root!["a"], root["b"]);
        // root, key a, the list and its 3 items, key b, and the alias counted as the 4 nodes it expands to.
        Assert.Equal(1 + 1 + 4 + 1 + 4, budget.Used);
    }

    [Fact]
    public void Value_offsets_map_into_quoted_and_block_scalars()
    {
        var root = (MappingNode)Read("a: 'it''s ${x}'\nb: |\n  first\n  ${y}\n")!;
        var a = (ScalarNode)root["a"]!;
        var at = a.Value.IndexOf("${", StringComparison.Ordinal);
        Assert.Equal((1, 11), (a.SpanOf(at, at + 1).Line, a.SpanOf(at, at + 1).Column));
        var b = (ScalarNode)root["b"]!;
        var bt = b.Value.IndexOf("${", StringComparison.Ordinal);
        Assert.Equal((4, 3), (b.SpanOf(bt, bt + 1).Line, b.SpanOf(bt, bt + 1).Column));
    }
}
