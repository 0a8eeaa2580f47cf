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

    LexiconReading(SupportLexicon lexicon, bool[] used)
    {
        _lexicon = lexicon;
        _used = used;
        _isUsed = g => _used[g];
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
        foreach (var example in examples)
        {
            matches.Clear();
            lexicon.Find(example, g => !joinsTerms.Contains(g), matches);
            foreach (var m in matches) used[m.Group] = true;
        }
        return new LexiconReading(lexicon, used);
    }

    public int GroupCount => _used.Count(u => u);

    /// <summary>The entries of the scenario's groups found in <paramref name="text"/>.</summary>
    public ImmutableArray<LexiconMatch> Find(SegmentedText text)
    {
        var matches = new List<LexiconMatch>();
        _lexicon.Find(text, _isUsed, matches);
        return [.. matches];
    }

    /// <summary>A match as <c>/explain</c> shows it: the words as typed, ≈, the group's first entry ("parcel hasn't arrived" → "arrived≈arrive").</summary>
    public string Describe(SegmentedText text, LexiconMatch match)
    {
        var first = text.Terms[match.FirstTerm];
        var last = text.Terms[match.LastTerm];
        return $"{text.Folded[first.Start..(last.Start + last.Length)]}≈{_lexicon.Groups[match.Group].Name}";
    }
}
