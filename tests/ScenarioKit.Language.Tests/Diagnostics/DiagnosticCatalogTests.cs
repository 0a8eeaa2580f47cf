using System.Text.RegularExpressions;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Tests.Golden;

namespace ScenarioKit.Language.Tests.Diagnostics;

/// <summary>The catalog's invariants, as roslyn's DiagnosticTest checks its error codes.</summary>
public partial class DiagnosticCatalogTests
{
    [Fact]
    public void Ids_are_unique_well_formed_and_in_range()
    {
        var ids = DiagnosticCatalog.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches(IdPattern(), id));
        Assert.All(DiagnosticCatalog.All, d => Assert.Same(d, DiagnosticCatalog.Find(d.Id)));
    }

    [Fact]
    public void Every_descriptor_has_english_and_japanese_text_and_a_hint()
    {
        foreach (var d in DiagnosticCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Title), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormatJa), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Hint), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.HintJa), d.Id);
            Assert.Matches(JapanesePattern(), d.MessageFormatJa + d.HintJa);
            // Same placeholders in both languages, so no argument is lost in translation.
            Assert.Equal(Placeholders(d.MessageFormat), Placeholders(d.MessageFormatJa));
        }
    }

    static List<string> Placeholders(string format) => [.. PlaceholderPattern().Matches(format).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_descriptor_has_a_documentation_page_and_an_entry_in_the_index()
    {
        var index = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "diagnostics.md"));
        foreach (var d in DiagnosticCatalog.All)
        {
            var page = Path.Combine(TestPaths.RepositoryRoot, d.HelpUri);
            Assert.True(File.Exists(page), $"missing {d.HelpUri}");
            Assert.Contains(d.Id, File.ReadAllText(page), StringComparison.Ordinal);
            Assert.Contains(d.Id, index, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_descriptor_has_a_golden_case()
    {
        // SK1000 (internal error) has no input that triggers it by design; InternalErrorTests proves the boundary.
        var covered = new HashSet<string>(StringComparer.Ordinal) { DiagnosticCatalog.InternalError.Id };
        foreach (var c in GoldenTests.AllCases())
        {
            var expectation = GoldenTests.ExpectationPath(c);
            if (File.Exists(expectation))
                foreach (Match m in GoldenIdPattern().Matches(File.ReadAllText(expectation))) covered.Add(m.Groups[1].Value);
        }
        var missing = DiagnosticCatalog.All.Select(d => d.Id).Where(id => !covered.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "no golden case for " + string.Join(", ", missing));
    }

    [GeneratedRegex("^SK[1-4][0-9]{3}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\{[0-9]+\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"[\u3040-\u30FF\u4E00-\u9FFF]")]
    private static partial Regex JapanesePattern();

    [GeneratedRegex(@": (?:error|warning|info) (SK[0-9]{4}):")]
    private static partial Regex GoldenIdPattern();
}
