using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests;

public class SmokeTests
{
    [Fact]
    public void Design_example_compiles()
    {
        var result = ScenarioCompiler.Compile(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Valid", "design-example.yaml"), new CompileOptions { Language = "en" });
        var w = new StringWriter();
        DiagnosticFormatter.FormatText(result, w, color: false);
        Assert.True(result.Success, w.ToString());
        Assert.Empty(result.Diagnostics);
    }
}
