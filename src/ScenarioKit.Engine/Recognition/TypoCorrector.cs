using System.Collections.Frozen;
using System.Collections.Immutable;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// English typo tolerance (docs/engine.md "Typos"): a customer's word of at least <see cref="MinimumLength"/>
/// letters whose stem no example has is read as the example word one edit away (a letter left out, added,
/// changed, or two neighbours swapped: "retrun" → "return", "intenet" → "internet", "representitive" →
/// "representative"). Words are compared as typed (in American spelling), not as stems: a typo is made on the
/// word, and stems are short enough for one edit to reach another word's ("great" / "greet", the stem of
/// "greetings"). Only the word is corrected; its character grams stay as typed, so a corrected word still scores
/// below the word spelt right. A word of four letters is only read as a known word with a letter it left out
/// ("oder" → "order", "helo" → "hello"): any other edit turns most short words into others ("bill" / "bull"); shorter
/// words are never corrected. Lookup is a symmetric-delete index (every known word under each of its
/// one-letter deletions), so a turn costs one probe per letter of an unknown word.
/// </summary>
internal sealed class TypoCorrector
{
    /// <summary>The length from which every kind of edit is corrected; a word one letter shorter may only have left one out.</summary>
    public const int MinimumLength = 5;

    readonly FrozenDictionary<string, int> _intents;        // stem → how many intents use it
    readonly FrozenDictionary<string, string> _stems;       // word (American spelling) → its stem
    readonly FrozenDictionary<string, string> _surface;     // word → as an example first wrote it (for /explain)
    readonly FrozenDictionary<string, string[]> _deletions; // a known word with one letter removed → those words

    TypoCorrector(Dictionary<string, int> intents, Dictionary<string, string> stems, Dictionary<string, string> surface)
    {
        _intents = intents.ToFrozenDictionary(StringComparer.Ordinal);
        _stems = stems.ToFrozenDictionary(StringComparer.Ordinal);
        _surface = surface.ToFrozenDictionary(StringComparer.Ordinal);
        var deletions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var word in stems.Keys.Where(w => w.Length >= MinimumLength).Order(StringComparer.Ordinal))
            for (var i = 0; i < word.Length; i++)
            {
                var deleted = word.Remove(i, 1);
                if (!deletions.TryGetValue(deleted, out var list)) deletions[deleted] = list = [];
                if (!list.Contains(word)) list.Add(word);
            }
        _deletions = deletions.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    public static readonly TypoCorrector Empty = new([], [], []);

    /// <summary>The Latin content words of each intent's examples.</summary>
    public static TypoCorrector Build(IEnumerable<IEnumerable<SegmentedText>> intents)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var stems = new Dictionary<string, string>(StringComparer.Ordinal);
        var surface = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var examples in intents)
        {
            seen.Clear();
            foreach (var text in examples)
                foreach (var term in text.Terms)
                {
                    if (!IsCandidate(term)) continue;
                    seen.Add(term.Text);
                    if (Word(text, term) is { } word && stems.TryAdd(word, term.Text))
                        surface[word] = text.Folded.Substring(term.Start, term.Length);
                }
            foreach (var stem in seen) counts[stem] = counts.GetValueOrDefault(stem) + 1;
        }
        return stems.Count == 0 ? Empty : new TypoCorrector(counts, stems, surface);
    }

    /// <summary>The corrections made in <paramref name="text"/>, as "typed→meant" (e.g. "retrun→return"), for <c>/explain</c>.</summary>
    public ImmutableArray<string> Corrections(SegmentedText text)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var term in text.Terms)
            if (CorrectWord(text, term) is { } word)
                result.Add($"{text.Folded.Substring(term.Start, term.Length)}→{_surface[word]}");
        return result.ToImmutable();
    }

    static bool IsCandidate(Term term) => term.Script == Script.Latin && !term.IsFunction;

    /// <summary>
    /// The term as one word in American spelling (the word its stem was made from), or null when it is none: a compound
    /// over two words, a negation, an informal form read as other words.
    /// </summary>
    static string? Word(SegmentedText text, Term term)
    {
        var typed = text.Folded.AsSpan(term.Start, term.Length);
        foreach (var c in typed)
            if (c is < 'a' or > 'z') return null;
        return term.Text == TextSegmenter.Negation || EnglishWords.IsInformal(typed) ? null : EnglishWords.ToAmerican(typed.ToString());
    }

    /// <summary>
    /// The stem of the known word <paramref name="term"/> is a typo of, or null when its stem is known, it is short, not
    /// an English content word, or not one edit from any known word. Among several, the one most intents use (then ordinal).
    /// </summary>
    public string? Correct(SegmentedText text, Term term) => CorrectWord(text, term) is { } word ? _stems[word] : null;

    string? CorrectWord(SegmentedText text, Term term)
    {
        if (_deletions.Count == 0 || !IsCandidate(term) || term.Length < MinimumLength - 1 || _intents.ContainsKey(term.Text)) return null;
        if (Word(text, term) is not { } word) return null;
        string? best = null;
        // The customer left a letter out: the word is a deletion of a known word.
        if (_deletions.TryGetValue(word, out var longer))
            foreach (var candidate in longer) best = Better(best, candidate);
        if (word.Length < MinimumLength) return best; // four letters: only the letter left out
        for (var i = 0; i < word.Length; i++)
        {
            var deleted = word.Remove(i, 1);
            // An extra letter: removing it gives a known word.
            if (deleted.Length >= MinimumLength && _stems.ContainsKey(deleted)) best = Better(best, deleted);
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
        var (a, b) = (_intents[_stems[candidate]], _intents[_stems[current]]);
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
