using ScenarioKit.Testing.Syntax;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Issues;

/// <summary>
/// Issue 10 item 8: the test runner had its own YAML reader beside the compiler's (a deep file crashed it
/// until it copied the compiler's limits). It now reads with the compiler's reader and maps the ids.
/// </summary>
public sealed class Issue10_OneYamlReaderTests
{
    [Fact]
    public void The_test_runner_does_not_parse_YAML_itself() =>
        Assert.DoesNotContain(typeof(TestFileReader).Assembly.GetReferencedAssemblies(), a => a.Name == "YamlDotNet");

    [Fact]
    public void Test_files_get_the_compilers_positions_with_test_ids()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("tab.test.yaml", "scenario: s.yaml\ntests:\n  - name: t\n\t  steps: []\n");
        var (suite, diagnostics) = TestFileReader.Read(path);
        Assert.Null(suite);
        var d = Assert.Single(diagnostics);
        Assert.Equal(("SK5001", 4, 1), (d.Id, d.Span.Line, d.Span.Column));
        Assert.Equal("While scanning a plain scalar, found a tab character that violate indentation.", d.Message);
    }

    [Fact]
    public void Merge_keys_and_aliases_still_work()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("merge.test.yaml", """
            scenario: s.yaml
            given: &shared { customer.segment: regular }
            tests:
              - name: t
                given: { <<: *shared, order.number: "12345678" }
                steps: [ { user: hi } ]
            """);
        var (suite, diagnostics) = TestFileReader.Read(path);
        Assert.Empty(diagnostics);
        Assert.Equal(["customer.segment", "order.number"], Assert.Single(suite!.Tests).Given.Select(g => g.Variable).Order(StringComparer.Ordinal));
    }
}
