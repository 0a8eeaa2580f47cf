using System.Text.RegularExpressions;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Diagnostics;

public class TestDiagnosticsTests
{
    [Fact]
    public void Ids_are_unique_in_the_SK5xxx_range_with_english_and_japanese_text_and_a_doc_page()
    {
        var ids = TestDiagnostics.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var declared = typeof(TestDiagnostics).GetFields().Where(f => f.FieldType == typeof(ScenarioKit.Language.Diagnostics.DiagnosticDescriptor)).Count();
        Assert.Equal(declared, ids.Count);
        foreach (var d in TestDiagnostics.All)
        {
            Assert.Matches(new Regex("^SK5[0-9]{3}$"), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Title), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Hint), d.Id);
            Assert.Matches(new Regex(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}]"), d.MessageFormatJa);
            // Both texts take the same arguments.
            var holes = new Regex(@"(?<!\{)\{(\d)\}");
            Assert.Equal(
                holes.Matches(d.MessageFormat).Select(m => m.Value).Distinct().Order(),
                holes.Matches(d.MessageFormatJa).Select(m => m.Value).Distinct().Order());
            Assert.True(File.Exists(Path.Combine(Paths.Root, d.HelpUri)), $"{d.Id}: missing {d.HelpUri}");
        }
    }
}
