using System.Globalization;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Tests.Running;

public class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("10m", 600_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1.5s", 1_500)]
    public void Durations_read_and_show_back_the_same(string text, long ms)
    {
        var bag = new DiagnosticBag();
        var read = TestFileReader.ReadDuration(new YScalar(text, true, ScenarioKit.Model.SourceSpan.None), bag);
        Assert.False(bag.HasErrors);
        Assert.Equal(TimeSpan.FromMilliseconds(ms), read);
        // Shown in the largest whole unit, whatever the current culture's decimal separator.
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var shown = Durations.Show(read!.Value);
            Assert.Equal(read, TestFileReader.ReadDuration(new YScalar(shown, true, ScenarioKit.Model.SourceSpan.None), bag));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
