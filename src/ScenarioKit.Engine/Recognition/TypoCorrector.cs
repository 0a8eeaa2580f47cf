using System.Collections.Frozen;
using System.Collections.Immutable;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// English typo tolerance (docs/engine.md "Typos"): a customer's word of at least <see cref="MinimumLength"/>
/// letters that no example has is read as the example word one edit away (a letter left out, added, changed,
/// or two neighbours swapped: "retrun" → "return", "intenet" → "internet", "representitive" →
/// "representative"). Only the word is corrected; its character grams stay as typed, so a corrected word
/// still scores below the word spelt right. Short words are never corrected: at four letters or fewer one
/// edit turns most words into others ("bill" / "bull"). Lookup is a symmetric-delete index (every known word
/// under each of its one-letter deletions), so a turn costs one probe per letter of an unknown word.
/// </summary>
internal sealed class TypoCorrector
{
    public const int MinimumLength = 5;

    readonly FrozenDictionary<string, int> _known;          // word → how many intents use it
    readonly FrozenDictionary<string, string> _surface;     // word → as an example first wrote it (for /explain)
    readonly FrozenDictionary<string, string[]> _deletions; // a known word with one letter removed → those words

    TypoCorrector(Dictionary<string, int> known, Dictionary<string, string> surface)
    {
        _known = known.ToFrozenDictionary(StringComparer.Ordinal);
        _surface = surface.ToFrozenDictionary(StringComparer.Ordinal);
        var deletions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var word in known.Keys.Where(w => w.Length >= MinimumLength).Order(StringComparer.Ordinal))
            for (var i = 0; i < word.Length; i++)
            {
                var deleted = word.Remove(i, 1);
                if (!deletions.TryGetValue(deleted, out var list)) deletions[deleted] = list = [];
                if (!list.Contains(word)) list.Add(word);
            }
        _deletions = deletions.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    public static readonly TypoCorrector Empty = new([], []);

    /// <summary>The Latin content words of each intent's examples (stemmed, as <see cref="TextSegmenter"/> gives them).</summary>
    public static TypoCorrector Build(IEnumerable<IEnumerable<SegmentedText>> intents)
    {
        var known = new Dictionary<string, int>(StringComparer.Ordinal);
        var surface = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var examples in intents)
        {
            words.Clear();
            foreach (var text in examples)
                foreach (var term in text.Terms)
                    if (IsCandidate(term) && words.Add(term.Text))
                        surface.TryAdd(term.Text, text.Folded.Substring(term.Start, term.Length));
            foreach (var word in words) known[word] = known.GetValueOrDefault(word) + 1;
        }
        return known.Count == 0 ? Empty : new TypoCorrector(known, surface);
    }

    /// <summary>The corrections made in <paramref name="text"/>, as "typed→meant" (e.g. "retrun→return"), for <c>/explain</c>.</summary>
    public ImmutableArray<string> Corrections(SegmentedText text)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var term in text.Terms)
            if (Correct(term) is { } word)
                result.Add($"{text.Folded.Substring(term.Start, term.Length)}→{_surface[word]}");
        return result.ToImmutable();
    }

    static bool IsCandidate(Term term) => term.Script == Script.Latin && !term.IsFunction;

    /// <summary>
    /// The known word <paramref name="term"/> is a typo of, or null when it is known, short, not an English
    /// content word, or not one edit from any known word. Among several, the one most intents use (then ordinal).
    /// </summary>
    public string? Correct(Term term)
    {
        var word = term.Text;
        if (_deletions.Count == 0 || !IsCandidate(term) || word.Length < MinimumLength || _known.ContainsKey(word)) return null;
        string? best = null;
        // The customer left a letter out: the word is a deletion of a known word.
        if (_deletions.TryGetValue(word, out var longer))
            foreach (var candidate in longer) best = Better(best, candidate);
        for (var i = 0; i < word.Length; i++)
        {
            var deleted = word.Remove(i, 1);
            // An extra letter: removing it gives a known word.
            if (deleted.Length >= MinimumLength && _known.ContainsKey(deleted)) best = Better(best, deleted);
            // A changed letter or two swapped neighbours: both lose one letter to the same string.
            if (_deletions.TryGetValue(deleted, out var same))
                foreach (var candidate in same)
                    if (IsOneEdit(word, candidate)) best = Better(best, candidate);
        }
        return best;
    }

    string Better(string? current, string candidate)
    {
        if (current is null) return candidate;
        var (a, b) = (_known[candidate], _known[current]);
        return a > b || (a == b && string.CompareOrdinal(candidate, current) < 0) ? candidate : current;
    }

    /// <summary>Same length, and either one position differs or two neighbouring letters are swapped.</summary>
    static bool IsOneEdit(string a, string b)
    {
        if (a.Length != b.Length || a == b) return false;
        var first = 0;
        while (a[first] == b[first]) first++;
        var last = a.Length - 1;
        while (a[last] == b[last]) last--;
        return first == last || (last == first + 1 && a[first] == b[last] && a[last] == b[first]);
    }
}
