using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model.Text;

namespace ScenarioKit.Engine.Recognition;

/// <summary>A line of the lexicon: words a customer uses interchangeably; <see cref="Name"/> is its first entry, as written.</summary>
internal sealed record LexiconGroup(int Id, string Name, ImmutableArray<string> Entries);

/// <summary>
/// One entry as segmented text reads it: the content words it must meet in a row and, when it ends in kana after a kanji
/// stem (「着い」「問い合わせ」「入ってな」), the kana the text must continue with after the last of them.
/// </summary>
internal sealed record LexiconEntry(string Source, ImmutableArray<string> Words, string Tail, int Group)
{
    /// <summary>A hiragana-only word this long also matches the start of a longer hiragana word (「ありがとう」 in 「ありがとうござい」).</summary>
    public const int MinimumPrefix = 3;

    public string Key => string.Join(' ', Words) + (Tail.Length == 0 ? "" : "+" + Tail);
}

/// <summary>
/// The built-in customer-support lexicon (docs/engine.md "Built-in lexicon"): groups of words and phrases customers use
/// interchangeably in a support conversation ({arrive, delivered, turn up}, {返金, 払い戻し, お金を返して}), curated by hand in
/// <c>Lexicon/support-en.txt</c> and <c>Lexicon/support-ja.txt</c>. The entries are read through the same normalisation
/// and segmentation as customer text when the lexicon is first used (once per process, shared by every package), so a
/// lookup is a dictionary probe per content word of the text.
/// </summary>
internal sealed class SupportLexicon
{
    static readonly Lazy<SupportLexicon> LazyShared = new(() => Parse(ReadResources()), LazyThreadSafetyMode.ExecutionAndPublication);

    public static SupportLexicon Shared => LazyShared.Value;

    /// <summary>Entries by their first word, longest first (more words, then a longer tail): 「払い戻」 before 「払っ」.</summary>
    readonly FrozenDictionary<string, LexiconEntry[]> _byFirstWord;

    /// <summary>Hiragana-only one-word entries of <see cref="LexiconEntry.MinimumPrefix"/> characters or more, by their first characters.</summary>
    readonly FrozenDictionary<string, LexiconEntry[]> _byPrefix;

    /// <summary>One-word kanji or katakana entries with no tail: what a compound may be made of (「配送状況」 → 「配送」「状況」).</summary>
    readonly FrozenDictionary<string, LexiconEntry> _pieces;
    readonly FrozenDictionary<string, LexiconEntry>.AlternateLookup<ReadOnlySpan<char>> _piecesBySpan;
    readonly int _longestPiece;

    SupportLexicon(ImmutableArray<LexiconGroup> groups, IReadOnlyList<LexiconEntry> entries)
    {
        Groups = groups;
        Entries = [.. entries];
        _byFirstWord = entries.GroupBy(e => e.Words[0], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(e => e.Words.Length).ThenByDescending(e => e.Tail.Length).ToArray(), StringComparer.Ordinal);
        _byPrefix = entries.Where(IsPrefixEntry).GroupBy(e => e.Words[0][..LexiconEntry.MinimumPrefix], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(e => e.Words[0].Length).ToArray(), StringComparer.Ordinal);
        _pieces = entries.Where(IsPiece).DistinctBy(e => e.Words[0], StringComparer.Ordinal).ToFrozenDictionary(e => e.Words[0], StringComparer.Ordinal);
        _piecesBySpan = _pieces.GetAlternateLookup<ReadOnlySpan<char>>();
        _longestPiece = _pieces.Count == 0 ? 0 : _pieces.Keys.Max(k => k.Length);
    }

    public ImmutableArray<LexiconGroup> Groups { get; }

    public ImmutableArray<LexiconEntry> Entries { get; }

    static bool IsPrefixEntry(LexiconEntry e) =>
        e.Words.Length == 1 && e.Tail.Length == 0 && e.Words[0].Length >= LexiconEntry.MinimumPrefix && e.Words[0].All(c => TextSegmenter.ScriptOf(c) == Script.Hiragana);

    static bool IsPiece(LexiconEntry e) =>
        e.Words.Length == 1 && e.Tail.Length == 0 && e.Words[0].Length >= 2 && TextSegmenter.ScriptOf(e.Words[0][0]) is Script.Kanji or Script.Katakana;

    /// <summary>The groups of the lexicon files: one line, one group; entries separated by commas; '#' starts a comment.</summary>
    public static SupportLexicon Parse(IEnumerable<string> lines)
    {
        var groups = ImmutableArray.CreateBuilder<LexiconGroup>();
        var entries = new List<LexiconEntry>();
        foreach (var raw in lines)
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0) continue;
            var sources = line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var id = groups.Count;
            var read = sources.Select(s => Read(s, id)).OfType<LexiconEntry>().DistinctBy(e => e.Key, StringComparer.Ordinal).ToArray();
            if (read.Length < 2) continue;
            groups.Add(new LexiconGroup(id, sources[0], [.. sources]));
            entries.AddRange(read);
        }
        return new SupportLexicon(groups.ToImmutable(), entries);
    }

    /// <summary>An entry as text would be segmented, or null when it has no content word (a stop word alone).</summary>
    static LexiconEntry? Read(string source, int group)
    {
        var text = TextSegmenter.Segment(TextNormalizer.NormalizeAndFold(source));
        var content = text.Terms.Where(t => !t.IsFunction).ToList();
        if (content.Count == 0) return null;
        // Kana after the last kanji stem (「着い」「問い合わせ」) is a tail the text must continue with, not a word of its own.
        var lastKanji = content.FindLastIndex(t => t.Script == Script.Kanji);
        var tail = "";
        if (lastKanji >= 0 && content.Skip(lastKanji + 1).All(t => t.Script == Script.Hiragana))
        {
            var end = content[lastKanji].Start + content[lastKanji].Length;
            tail = text.Matching[end..];
            content.RemoveRange(lastKanji + 1, content.Count - lastKanji - 1);
        }
        return new LexiconEntry(source, [.. content.Select(t => t.Text)], tail, group);
    }

    static IEnumerable<string> ReadResources()
    {
        var assembly = typeof(SupportLexicon).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Lexicon.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line) yield return line;
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the entries found in <paramref name="text"/>, left to right over its content words,
    /// never overlapping, the longest entry first; a kanji or katakana word no entry is also read as the entries it is made of,
    /// greedy longest from the left. <paramref name="allowed"/> restricts the groups (a scenario's own: <see cref="LexiconReading"/>).
    /// </summary>
    public void Find(SegmentedText text, Func<int, bool> allowed, List<LexiconMatch> into)
    {
        var terms = text.Terms;
        Span<int> content = terms.Length <= 64 ? stackalloc int[terms.Length] : new int[terms.Length];
        var count = 0;
        for (var t = 0; t < terms.Length; t++)
            if (!terms[t].IsFunction) content[count++] = t;
        var i = 0;
        while (i < count)
        {
            var term = terms[content[i]];
            var (matched, span) = FindAt(text, content[..count], i, allowed);
            if (matched is { } entry)
            {
                // A separated phrasal verb ("send something back") has its object inside the span, not in the entry: the object
                // is read again for entries of its own ("send the parcel back": parcel).
                var separated = span > entry.Words.Length;
                into.Add(new LexiconMatch(content[i], content[i + span - 1], entry.Group, Covered: 1) { Skipped = separated ? content[i + span - 2] : -1 });
                i += separated ? 1 : span;
                continue;
            }
            // A compound that is an entry itself, of a group the text may not use, is a word of its own (「電話番号」 is no 「電話」).
            if (TextSegmenter.ScriptOf(term.Text[0]) is Script.Kanji or Script.Katakana && term.Text.Length > 2 && !_pieces.ContainsKey(term.Text))
                AddPieces(content[i], term.Text, allowed, into);
            i++;
        }
    }

    /// <summary>The entry found at content word <paramref name="at"/> and how many content words it spans (its object included).</summary>
    (LexiconEntry? Entry, int Span) FindAt(SegmentedText text, ReadOnlySpan<int> content, int at, Func<int, bool> allowed)
    {
        var terms = text.Terms;
        var word = terms[content[at]].Text;
        if (_byFirstWord.TryGetValue(word, out var candidates))
        {
            // Longest first, a separated phrasal verb before a shorter entry ("call the shop back" is a callback, not a call).
            foreach (var entry in candidates)
            {
                if (!allowed(entry.Group)) continue;
                if (Matches(entry, text, content, at, gap: false)) return (entry, entry.Words.Length);
                if (IsPhrasalVerb(entry) && Matches(entry, text, content, at, gap: true)) return (entry, entry.Words.Length + 1);
            }
        }
        if (terms[content[at]].Script == Script.Hiragana && word.Length >= LexiconEntry.MinimumPrefix && _byPrefix.TryGetValue(word[..LexiconEntry.MinimumPrefix], out candidates))
            foreach (var entry in candidates)
                if (allowed(entry.Group) && word.StartsWith(entry.Words[0], StringComparison.Ordinal)) return (entry, 1);
        return (null, 0);
    }

    /// <summary>Adverb particles of English phrasal verbs, which may follow the verb's object ("send it back", "pay me back").</summary>
    static readonly FrozenSet<string> Particles = FrozenSet.ToFrozenSet(["back", "up", "out", "off", "down", "over", "away", "through"], StringComparer.Ordinal);

    /// <summary>A verb and its particle ("send back", "call back", "sort out"): one object word may stand between them.</summary>
    static bool IsPhrasalVerb(LexiconEntry entry) => entry.Words.Length == 2 && entry.Tail.Length == 0 && Particles.Contains(entry.Words[1]);

    /// <summary>
    /// Whether <paramref name="entry"/>'s words follow content word <paramref name="at"/> in a row, or with <paramref name="gap"/>
    /// one content word (the object of a phrasal verb) before its last word.
    /// </summary>
    static bool Matches(LexiconEntry entry, SegmentedText text, ReadOnlySpan<int> content, int at, bool gap)
    {
        var span = entry.Words.Length + (gap ? 1 : 0);
        if (at + span > content.Length) return false;
        for (var k = 1; k < entry.Words.Length; k++)
        {
            var position = gap && k == entry.Words.Length - 1 ? at + k + 1 : at + k;
            if (!string.Equals(text.Terms[content[position]].Text, entry.Words[k], StringComparison.Ordinal)) return false;
        }
        if (entry.Tail.Length == 0) return true;
        var last = text.Terms[content[at + entry.Words.Length - 1]];
        return text.Matching.AsSpan(last.Start + last.Length).StartsWith(entry.Tail, StringComparison.Ordinal);
    }

    /// <summary>Greedy longest pieces from the left over every entry, so a piece is never cut out of a longer one; only allowed groups are added.</summary>
    void AddPieces(int termIndex, string word, Func<int, bool> allowed, List<LexiconMatch> into)
    {
        var i = 0;
        while (i < word.Length)
        {
            LexiconEntry? piece = null;
            for (var n = Math.Min(_longestPiece, word.Length - i); n >= 2 && piece is null; n--)
                if (n < word.Length && _piecesBySpan.TryGetValue(word.AsSpan(i, n), out var entry)) piece = entry;
            if (piece is null)
            {
                i++;
                continue;
            }
            if (allowed(piece.Group)) into.Add(new LexiconMatch(termIndex, termIndex, piece.Group, Covered: (double)piece.Words[0].Length / word.Length));
            i += piece.Words[0].Length;
        }
    }
}

/// <summary>
/// A lexicon entry found in segmented text: terms <see cref="FirstTerm"/>..<see cref="LastTerm"/> (indices into
/// <see cref="SegmentedText.Terms"/>) belong to <see cref="Group"/>; <see cref="Covered"/> is the share of the term a
/// compound's piece covers (1 for a whole entry).
/// </summary>
internal readonly record struct LexiconMatch(int FirstTerm, int LastTerm, int Group, double Covered)
{
    public bool IsPiece => Covered < 1;

    /// <summary>The object between a phrasal verb and its particle ("something" in "send something back"), which is no word of the entry; -1 when none.</summary>
    public int Skipped { get; init; } = -1;

    /// <summary>Whether term <paramref name="index"/> is one of the entry's words.</summary>
    public bool Includes(int index) => index >= FirstTerm && index <= LastTerm && index != Skipped;
}
