using System.Text;
using System.Text.RegularExpressions;

namespace ScenarioKit.Insight.Privacy;

/// <summary>
/// Masks e-mail addresses and phone numbers in free text (what customers type), for reports and exports.
/// Japanese input is matched as typed: full-width digits, letters and ＠, the long-vowel mark or a dash between digit
/// groups, <c>03(1234)5678</c>; so are <c>+81</c> and other international numbers and North-American forms.
/// Order numbers, dates, times and prices are left alone: a run of digits is a phone number only when its shape is one
/// (a trunk prefix 0 and 10-11 digits, a leading +, or 3-3-4 digits).
/// </summary>
/// <remarks>
/// An unseparated 10-11 digit number starting with 0 reads as a Japanese phone number and is masked, even when it is
/// in fact an order number: a report would rather hide an order number than show a phone number.
/// </remarks>
public static partial class ContactMasker
{
    public const string EmailMask = "[email]";
    public const string PhoneMask = "[phone]";

    /// <summary>The text with every e-mail address replaced by <see cref="EmailMask"/> and every phone number by <see cref="PhoneMask"/>.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return text;

        // Matching runs over a same-length ASCII fold, so every match is a range of the original text too.
        var folded = Fold(text);
        var masks = new List<(int Start, int Length, string Mask)>();
        foreach (Match match in Email().Matches(folded))
            masks.Add((match.Index, match.Length, EmailMask));
        foreach (Match match in PhoneCandidate().Matches(folded))
        {
            if (!masks.Any(m => m.Start < match.Index + match.Length && match.Index < m.Start + m.Length))
                AddPhones(folded, match.Index, match.Length, masks);
        }
        if (masks.Count == 0)
            return text;

        masks.Sort((a, b) => a.Start.CompareTo(b.Start));
        var sb = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, length, mask) in masks)
        {
            sb.Append(text, at, start - at).Append(mask);
            at = start + length;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>
    /// Masks the candidate if it is one phone number; otherwise the longest runs of its space-separated pieces that are
    /// (a sentence may put an order number and a phone number side by side: "12345678 090 1234 5678").
    /// </summary>
    static void AddPhones(string folded, int start, int length, List<(int, int, string)> masks)
    {
        if (IsPhone(folded.AsSpan(start, length)))
        {
            masks.Add((start, length, PhoneMask));
            return;
        }
        var pieces = new List<(int Start, int End)>();
        for (int i = start, end = start + length; i < end;)
        {
            while (i < end && folded[i] == ' ') i++;
            var pieceStart = i;
            while (i < end && folded[i] != ' ') i++;
            if (i > pieceStart) pieces.Add((pieceStart, i));
        }
        if (pieces.Count < 2)
            return;
        for (var first = 0; first < pieces.Count; first++)
        {
            for (var last = pieces.Count - 1; last >= first; last--)
            {
                if (first == 0 && last == pieces.Count - 1)
                    continue;
                var (from, to) = (pieces[first].Start, pieces[last].End);
                if (IsPhone(folded.AsSpan(from, to - from)))
                {
                    masks.Add((from, to - from, PhoneMask));
                    first = last;
                    break;
                }
            }
        }
    }

    /// <summary>Whether a run of digits and separators has the shape of a phone number (see the class remarks).</summary>
    internal static bool IsPhone(ReadOnlySpan<char> candidate)
    {
        var text = candidate.ToString();
        var bare = text.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal);
        if (!Grouped().IsMatch(bare))
            return false;
        var groups = bare.TrimStart('+').Split([' ', '.', '-'], StringSplitOptions.RemoveEmptyEntries);
        var digits = groups.Sum(g => g.Length);
        if (text[0] == '+')
            return digits is >= 8 and <= 15;
        if (bare[0] == '0' && digits is 10 or 11 && !text.Contains('.', StringComparison.Ordinal))
            return true;
        // North America: 555-123-4567, (555) 123-4567, 1-800-555-1234.
        var lengths = groups.Select(g => g.Length).ToArray();
        return groups.Length > 1 && (lengths.SequenceEqual([3, 3, 4]) || (lengths.SequenceEqual([1, 3, 3, 4]) && groups[0] == "1"));
    }

    /// <summary>Full-width ASCII to ASCII, the ideographic space to a space and every dash (and ー between digits) to '-'; one char for one char.</summary>
    internal static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\uFE63' or '\uFF70' => '-',
                // The long-vowel mark is a dash only between digits (０９０ー１２３４), never inside a word (メール).
                '\u30FC' when IsDigitAt(source, i - 1) && IsDigitAt(source, i + 1) => '-',
                _ => c,
            };
        }
    });

    static bool IsDigitAt(string text, int index) =>
        index >= 0 && index < text.Length && text[index] is >= '0' and <= '9' or >= '\uFF10' and <= '\uFF19';

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // Linear: one character class, the shape is checked afterwards by IsPhone.
    [GeneratedRegex(@"(?<![A-Za-z0-9+\-.])\+?\(?[0-9][0-9 ().\-]{5,40}[0-9](?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCandidate();

    // Digit groups with at most one separator between them; parentheses were removed before.
    [GeneratedRegex(@"^\+?[0-9]+(?:[ .\-]?[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();
}
