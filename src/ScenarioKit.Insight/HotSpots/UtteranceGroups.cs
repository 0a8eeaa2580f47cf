using System.Globalization;
using System.Text;

namespace ScenarioKit.Insight.HotSpots;

/// <summary>
/// Groups not-understood messages by similarity: character bigrams (they work for Japanese, which has no spaces, and
/// for English), Jaccard overlap at least <see cref="Similarity"/> with a group's first message, per step. Identical
/// texts (after NFKC and case folding) are found by dictionary, so a stream of repeats costs one lookup each. The
/// number of groups is capped; a message like none of them once the cap is reached is counted in <see cref="Others"/>.
/// </summary>
internal sealed class UtteranceGroups
{
    public const double Similarity = 0.5;
    public const int MaxGroups = 2000;

    readonly List<Group> _groups = [];
    readonly Dictionary<(string Step, string Folded), Group> _exact = [];
    readonly Dictionary<string, List<Group>> _byStep = new(StringComparer.Ordinal);

    internal sealed class Group(string text, string step, int[] grams)
    {
        public string Text { get; } = text;
        public string Step { get; } = step;
        public int[] Grams { get; } = grams;
        public int Count { get; set; }
        public List<string> Samples { get; } = [];
    }

    public int Others { get; private set; }

    /// <summary>Every message added (grouped or not).</summary>
    public int Total { get; private set; }

    public IReadOnlyList<Group> Groups => _groups;

    public void Add(string text, string step)
    {
        Total++;
        var folded = Fold(text);
        if (folded.Length == 0)
        {
            Others++;
            return;
        }
        if (!_exact.TryGetValue((step, folded), out var group))
        {
            var grams = Bigrams(folded);
            group = Nearest(step, grams);
            if (group is null)
            {
                if (_groups.Count >= MaxGroups)
                {
                    Others++;
                    return;
                }
                group = new Group(text, step, grams);
                _groups.Add(group);
                if (!_byStep.TryGetValue(step, out var list)) _byStep[step] = list = [];
                list.Add(group);
            }
            if (_exact.Count < MaxGroups * 8) _exact[(step, folded)] = group;
        }
        group.Count++;
        if (group.Samples.Count < 3 && !group.Samples.Contains(text) && text != group.Text) group.Samples.Add(text);
    }

    Group? Nearest(string step, int[] grams)
    {
        if (!_byStep.TryGetValue(step, out var candidates)) return null;
        Group? best = null;
        var bestScore = Similarity;
        foreach (var candidate in candidates)
        {
            var score = Jaccard(grams, candidate.Grams);
            if (score >= bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    internal static string Fold(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsLetterOrDigit(c)) builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>Distinct character bigrams, sorted (a one-character text is its own gram).</summary>
    internal static int[] Bigrams(string folded)
    {
        if (folded.Length == 1) return [folded[0]];
        var grams = new HashSet<int>();
        for (var i = 0; i + 1 < folded.Length; i++) grams.Add((folded[i] << 16) | folded[i + 1]);
        var sorted = grams.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    internal static double Jaccard(int[] a, int[] b)
    {
        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { shared++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        var union = a.Length + b.Length - shared;
        return union == 0 ? 0 : (double)shared / union;
    }
}
