using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Tests.Issues;

/// <summary>
/// Issue 5: a test file is checked like a scenario, so hostile YAML must give a diagnostic, not a
/// stack overflow (which ends the process) or an exponential alias expansion.
/// </summary>
public sealed class Issue5_HostileTestFileTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("sk-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string Write(string text)
    {
        var path = Path.Combine(_folder, "hostile.test.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Deep_nesting_is_SK5001_not_a_stack_overflow()
    {
        var path = Write("scenario: s\ntests:\n  - name: x\n    steps: " + new string('[', 200_000) + new string(']', 200_000) + "\n");
        var (suite, diagnostics) = TestFileReader.Read(path);
        Assert.Null(suite);
        var d = Assert.Single(diagnostics);
        Assert.Equal(("SK5001", 4), (d.Id, d.Span.Line));
        Assert.Contains("nested more than 200 levels", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_SK5001_before_anything_is_expanded()
    {
        var lines = new List<string> { "scenario: s", "x0: &a0 [1,1,1,1,1,1,1,1,1,1]" };
        for (var i = 1; i < 10; i++) lines.Add($"x{i}: &a{i} [{string.Join(",", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        lines.AddRange(["tests:", "  - name: bomb", "    given: { order.number: *a9 }", "    steps:", "      - user: hello"]);
        var (suite, diagnostics) = TestFileReader.Read(Write(string.Join("\n", lines) + "\n"));
        Assert.Null(suite);
        var d = Assert.Single(diagnostics);
        Assert.Equal("SK5001", d.Id);
        Assert.Contains("more than 1,000,000 nodes", d.Message, StringComparison.Ordinal);
    }
}
