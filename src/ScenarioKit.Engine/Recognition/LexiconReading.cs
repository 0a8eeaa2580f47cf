using System.Collections.Immutable;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>
/// The built-in lexicon as one package reads it (docs/engine.md "Built-in lexicon"), built at load: only the groups its
/// examples use, since a group no example has cannot bring a customer's word nearer any intent (and, unseen, would weigh
/// as the rarest feature and pull every score down); and none that joins two terms of the scenario's own vocabulary,
/// which the designer kept apart (the vocabulary wins).
/// </summary>
internal sealed class LexiconReading
{
    readonly SupportLexicon _lexicon;
    readonly bool[] _used;
    readonly Func<int, bool> _isUsed;
    readonly HashSet<string> _exampleWords;

    LexiconReading(SupportLexicon lexicon, bool[] used, HashSet<string> exampleWords)
    {
        _lexicon = lexicon;
        _used = used;
        _isUsed = g => _used[g];
        _exampleWords = exampleWords;
    }

    /// <param name="examples">The examples, segmented after the vocabulary.</param>
    /// <param name="vocabularyTerms">The vocabulary's canonical terms, segmented.</param>
    public static LexiconReading Build(SupportLexicon lexicon, IEnumerable<SegmentedText> examples, IEnumerable<SegmentedText> vocabularyTerms)
    {
        var all = new bool[lexicon.Groups.Length];
        Array.Fill(all, true);
        var matches = new List<LexiconMatch>();
        var termsByGroup = new Dictionary<int, int>();
        foreach (var term in vocabularyTerms)
        {
            matches.Clear();
            lexicon.Find(term, g => all[g], matches);
            foreach (var group in matches.Where(m => !m.IsPiece).Select(m => m.Group).Distinct())
                termsByGroup[group] = termsByGroup.GetValueOrDefault(group) + 1;
        }
        var joinsTerms = termsByGroup.Where(kv => kv.Value >= 2).Select(kv => kv.Key).ToHashSet();
        var used = new bool[lexicon.Groups.Length];
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var example in examples)
        {
            matches.Clear();
            lexicon.Find(example, g => !joinsTerms.Contains(g), matches);
            foreach (var m in matches) used[m.Group] = true;
            foreach (var term in example.Terms) words.Add(term.Text);
        }
        return new LexiconReading(lexicon, used, words);
    }

    /// <summary>The entries of the scenario's groups found in an example.</summary>
    public ImmutableArray<LexiconMatch> Find(SegmentedText example)
    {
        var matches = new List<LexiconMatch>();
        _lexicon.Find(example, _isUsed, matches);
        return [.. matches];
    }

    /// <summary>
    /// The entries of the scenario's groups found in a customer's text that bring a word no example has ("arrived" when the
    /// examples say "delivered"): a word the examples share already meets them as itself.
    /// </summary>
    public ImmutableArray<LexiconMatch> FindNew(SegmentedText text)
    {
        var matches = new List<LexiconMatch>();
        _lexicon.Find(text, _isUsed, matches);
        matches.RemoveAll(m => !BringsNewWord(text, m));
        return [.. matches];
    }

    bool BringsNewWord(SegmentedText text, LexiconMatch match)
    {
        for (var t = match.FirstTerm; t <= match.LastTerm; t++)
            if (match.Includes(t) && !text.Terms[t].IsFunction && !_exampleWords.Contains(text.Terms[t].Text)) return true;
        return false;
    }

    /// <summary>A match as <c>/explain</c> shows it: the words as typed, ≈, the group's first entry ("parcel hasn't arrived" → "arrived≈arrive").</summary>
    public string Describe(SegmentedText text, LexiconMatch match)
    {
        var first = text.Terms[match.FirstTerm];
        var last = text.Terms[match.LastTerm];
        return $"{text.Folded[first.Start..(last.Start + last.Length)]}≈{_lexicon.Groups[match.Group].Name}";
    }
}
