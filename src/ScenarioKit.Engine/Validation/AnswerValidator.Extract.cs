using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScenarioKit.Engine.Extraction;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Validation;

// The extractor side of the answer types (docs/language.md "Slot filling"): where in a whole message a
// value of the ask's kind is written, so an ask can be filled from a message that was not its answer.
internal sealed partial class AnswerValidator
{
    /// <summary>
    /// The values of this ask's kind written in <paramref name="text"/>, in order of appearance, each already
    /// converted as an answer would be (min/max, pattern). Free text has none unless <paramref name="search"/>
    /// is given: the ask's <c>extract</c> regex, else its <c>pattern</c> searched unanchored.
    /// </summary>
    /// <param name="text">NFKC-normalised message.</param>
    /// <param name="search">Compiled once per ask at load (<c>CompiledScenario.SlotPatterns</c>).</param>
    public List<Found<JsonNode?>> FindCandidates(string text, DateOnly today, Regex? search)
    {
        var found = new List<Found<JsonNode?>>();
        if (text.Length == 0) return found;
        try
        {
            if (search is not null) FindBySearch(text, today, search, found);
            else
            {
                switch (_expect.Kind)
                {
                    case ExpectKind.Number or ExpectKind.Integer: FindNumbers(text, today, found); break;
                    case ExpectKind.Choice: FindChoices(text, found); break;
                    case ExpectKind.YesNo: FindYesNo(text, found); break;
                    case ExpectKind.Email: FindConverted(text, today, EmailInText(), found); break;
                    case ExpectKind.Phone: FindConverted(text, today, PhoneInText(), found); break;
                    case ExpectKind.Date: FindDates(text, today, found); break;
                    case ExpectKind.Time: FindTimes(text, found); break;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A designer's pattern that backtracks on this message finds nothing; the answer path reports timeouts.
            found.Clear();
        }
        return found;
    }

    void FindBySearch(string text, DateOnly today, Regex search, List<Found<JsonNode?>> found)
    {
        foreach (var m in LinearRetry.Matches(search, text))
        {
            var group = m.Groups["value"] is { Success: true } named ? named : m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1] : m.Groups[0];
            if (group.Length == 0 || !OnBoundaries(text, group.Index, group.Length)) continue;
            if (TryValidate(group.Value.Trim(), today, out var value, out _))
                found.Add(new Found<JsonNode?>(group.Index, group.Length, value));
        }
    }

    void FindConverted(string text, DateOnly today, Regex candidates, List<Found<JsonNode?>> found)
    {
        foreach (Match m in candidates.Matches(text))
            if (TryValidate(m.Value, today, out var value, out _)) found.Add(new Found<JsonNode?>(m.Index, m.Length, value));
    }

    void FindNumbers(string text, DateOnly today, List<Found<JsonNode?>> found)
    {
        // Digits that belong to a date, a time, a phone number or an address are not a quantity.
        var taken = new List<(int Start, int End)>();
        foreach (var d in DateTimeText.FindDates(text, today)) taken.Add((d.Start, d.Start + d.Length));
        foreach (var t in DateTimeText.FindTimes(text)) taken.Add((t.Start, t.Start + t.Length));
        foreach (Match m in PhoneInText().Matches(text)) taken.Add((m.Index, m.Index + m.Length));
        foreach (Match m in EmailInText().Matches(text)) taken.Add((m.Index, m.Index + m.Length));
        foreach (Match m in NumberInText().Matches(text))
        {
            var end = m.Index + m.Length;
            if (taken.Exists(t => t.Start < end && m.Index < t.End)) continue;
            if (end < text.Length && DateOrTimeUnit(text[end])) continue;
            if (TryValidate(m.Value, today, out var value, out _)) found.Add(new Found<JsonNode?>(m.Index, m.Length, value));
        }
    }

    static bool DateOrTimeUnit(char c) => c is '年' or '月' or '日' or '時' or '分' or '秒' or '/' or ':';

    void FindChoices(string text, List<Found<JsonNode?>> found)
    {
        var folded = TextNormalizer.Fold(text); // invariant lower-casing keeps every offset
        var start = 0;
        while (start < folded.Length)
        {
            // At each position the longest synonym wins ("サイズ交換" over "交換"); then search on after it.
            var best = (Length: 0, Value: (string?)null);
            foreach (var (choice, synonyms) in _choices)
                foreach (var s in synonyms)
                    if (s.Length > best.Length && string.CompareOrdinal(folded, start, s, 0, s.Length) == 0 && OnBoundaries(folded, start, s.Length))
                        best = (s.Length, choice);
            if (best.Value is null)
            {
                start++;
                continue;
            }
            found.Add(new Found<JsonNode?>(start, best.Length, JsonValue.Create(best.Value)));
            start += best.Length;
        }
    }

    void FindYesNo(string text, List<Found<JsonNode?>> found)
    {
        var folded = TextNormalizer.Fold(text);
        foreach (var (words, value) in new[] { (Yes, true), (No, false) })
            foreach (var word in words)
            {
                if (word.Length < 2) continue; // "y", "n" inside a sentence are letters, not answers
                for (var i = folded.IndexOf(word, StringComparison.Ordinal); i >= 0; i = folded.IndexOf(word, i + 1, StringComparison.Ordinal))
                    if (OnBoundaries(folded, i, word.Length)) found.Add(new Found<JsonNode?>(i, word.Length, JsonValue.Create(value)));
            }
        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
    }

    /// <summary>Dates in the text that the ask's date rules (min/max, future/past, weekdays) allow.</summary>
    void FindDates(string text, DateOnly today, List<Found<JsonNode?>> found)
    {
        foreach (var d in DateTimeText.FindDates(text, today))
        {
            if (AllowsDate(d.Value, today))
                found.Add(new Found<JsonNode?>(d.Start, d.Length, JsonValue.Create(d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }
    }

    static void FindTimes(string text, List<Found<JsonNode?>> found)
    {
        foreach (var t in DateTimeText.FindTimes(text))
            found.Add(new Found<JsonNode?>(t.Start, t.Length, JsonValue.Create(t.Value.ToString("HH:mm", CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// A value must not be cut out of a longer word or number: "no" is not in "note", "12" not in "123".
    /// Only ASCII letters and digits have word boundaries; Japanese is written without spaces.
    /// </summary>
    static bool OnBoundaries(string text, int start, int length)
    {
        var end = start + length;
        if (start > 0 && char.IsAsciiLetterOrDigit(text[start]) && char.IsAsciiLetterOrDigit(text[start - 1])) return false;
        if (end < text.Length && char.IsAsciiLetterOrDigit(text[end - 1]) && char.IsAsciiLetterOrDigit(text[end])) return false;
        return true;
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z.,])[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![0-9A-Za-z]|[.,]\d)", RegexOptions.CultureInvariant, 100)]
    private static partial Regex NumberInText();

    [GeneratedRegex(@"(?<![0-9+])\+?\d[\d\-‐‑–—−ー ()]{5,22}\d(?![0-9])", RegexOptions.CultureInvariant, 100)]
    private static partial Regex PhoneInText();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+", RegexOptions.CultureInvariant, 100)]
    private static partial Regex EmailInText();
}
