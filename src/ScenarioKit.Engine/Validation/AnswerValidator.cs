using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScenarioKit.Engine.Extraction;
using ScenarioKit.Engine.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Validation;

/// <summary>
/// Validates an answer to an <c>ask</c> (docs/language.md "expect") and converts it to the value
/// stored in the variable. Input is already NFKC-normalised and trimmed, so full-width digits,
/// commas and letters arrive as ASCII.
/// </summary>
internal sealed partial class AnswerValidator
{
    readonly Expectation _expect;
    readonly Regex? _pattern;
    readonly (string Value, string[] Folded)[] _choices;

    public AnswerValidator(Expectation expect, RuntimeOptions options, SourceSpan span, List<RuntimeError> errors)
    {
        _expect = expect;
        if (!string.IsNullOrEmpty(expect.Pattern))
        {
            try
            {
                // The whole answer must match: anchoring twice is harmless when the pattern is already anchored.
                _pattern = new Regex($@"\A(?:{expect.Pattern})\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, options.RegexTimeout);
            }
            catch (ArgumentException e)
            {
                errors.Add(new RuntimeError($"expect pattern '{expect.Pattern}' is not a valid regular expression: {e.Message}", expect.Span.Line > 0 ? expect.Span : span));
            }
        }
        _choices = [.. expect.Choices.Select(c => (c.Value,
            c.Synonyms.Prepend(c.Value).Select(s => TextNormalizer.TrimPunctuation(TextNormalizer.NormalizeAndFold(s))).ToArray()))];
    }

    /// <summary>True for free text without a pattern: (almost) every answer is valid, so validity says nothing about intent. Length limits do not change that.</summary>
    public bool AcceptsAnyText => _expect.Kind is ExpectKind.Text && _pattern is null;

    /// <param name="answer">NFKC-normalised, trimmed answer.</param>
    /// <param name="today">The scenario's local date, for relative dates and dates written without a year.</param>
    /// <returns>False when invalid; a regex timeout is reported in <paramref name="timedOut"/> and counts as invalid.</returns>
    public bool TryValidate(string answer, DateOnly today, out JsonNode? value, out bool timedOut)
    {
        value = null;
        timedOut = false;
        if (answer.Length == 0) return false;
        var ok = _expect.Kind switch
        {
            ExpectKind.Text or ExpectKind.Pattern => TryText(answer, out value),
            ExpectKind.Number => TryNumber(answer, integer: false, out value),
            ExpectKind.Integer => TryNumber(answer, integer: true, out value),
            ExpectKind.Choice => TryChoice(answer, out value),
            ExpectKind.YesNo => TryYesNo(answer, out value),
            ExpectKind.Email => TryEmail(answer, out value),
            ExpectKind.Phone => TryPhone(answer, out value),
            ExpectKind.Date => TryDate(answer, today, out value),
            ExpectKind.Time => TryTime(answer, out value),
            ExpectKind.DateTime => TryDateTime(answer, today, out value),
            _ => false,
        };
        if (!ok || _pattern is null) return ok;
        try
        {
            if (LinearRetry.IsMatch(_pattern, answer)) return true;
            value = null;
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            timedOut = true;
            value = null;
            return false;
        }
    }

    bool TryText(string answer, out JsonNode? value)
    {
        value = null;
        if (_expect.Min is { } min && answer.Length < min) return false;
        if (_expect.Max is { } max && answer.Length > max) return false;
        value = JsonValue.Create(answer);
        return true;
    }

    bool TryNumber(string answer, bool integer, out JsonNode? value)
    {
        value = null;
        var text = answer.Replace(" ", "", StringComparison.Ordinal);
        if (!(integer ? IntegerSyntax() : NumberSyntax()).IsMatch(text)) return false;
        text = text.Replace(",", "", StringComparison.Ordinal);
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            || !double.IsFinite(d))
            return false;
        if (integer && (Math.Floor(d) != d || Math.Abs(d) > 9007199254740991d)) return false;
        if (_expect.Min is { } min && d < min) return false;
        if (_expect.Max is { } max && d > max) return false;
        value = JsonValues.Number(d);
        return true;
    }

    bool TryChoice(string answer, out JsonNode? value)
    {
        value = null;
        var folded = TextNormalizer.TrimPunctuation(TextNormalizer.Fold(answer));
        foreach (var (choice, synonyms) in _choices)
            foreach (var s in synonyms)
                if (string.Equals(s, folded, StringComparison.Ordinal))
                {
                    value = JsonValue.Create(choice);
                    return true;
                }
        return false;
    }

    static readonly HashSet<string> Yes = new(StringComparer.Ordinal)
    {
        "はい", "ええ", "うん", "そう", "そうです", "お願いします", "おねがいします", "お願い", "はい、お願いします", "いいよ", "いいです", "大丈夫です", "了解", "ok", "okay", "yes", "y", "yeah", "yep", "sure", "of course", "please", "yes please", "true",
    };

    static readonly HashSet<string> No = new(StringComparer.Ordinal)
    {
        "いいえ", "いや", "ううん", "いえ", "違います", "ちがいます", "違う", "結構です", "けっこうです", "いらない", "いりません", "不要", "大丈夫です、結構です", "no", "n", "nope", "nah", "no thanks", "no thank you", "not now", "false",
    };

    static bool TryYesNo(string answer, out JsonNode? value)
    {
        value = null;
        var folded = TextNormalizer.TrimPunctuation(TextNormalizer.Fold(answer));
        if (Yes.Contains(folded)) value = JsonValue.Create(true);
        else if (No.Contains(folded)) value = JsonValue.Create(false);
        return value is not null;
    }

    static bool TryEmail(string answer, out JsonNode? value)
    {
        value = null;
        if (answer.Length > 254 || !EmailSyntax().IsMatch(answer)) return false;
        value = JsonValue.Create(answer);
        return true;
    }

    static bool TryPhone(string answer, out JsonNode? value)
    {
        value = null;
        Span<char> digits = stackalloc char[Math.Min(answer.Length, 64)];
        var n = 0;
        for (var i = 0; i < answer.Length; i++)
        {
            var c = answer[i];
            if (char.IsAsciiDigit(c) || (c == '+' && i == 0 && n == 0))
            {
                if (n == digits.Length) return false;
                digits[n++] = c;
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '‐' or '‑' or '–' or '—' or '−' or 'ー'))
                return false;
        }
        var count = digits[..n].Count('+') == 1 ? n - 1 : n;
        if (count is < 7 or > 15) return false;
        value = JsonValue.Create(new string(digits[..n]));
        return true;
    }

    /// <summary>The one date the answer names, alone or inside a sentence (「12月5日がいいです」), stored as yyyy-MM-dd.</summary>
    bool TryDate(string answer, DateOnly today, out JsonNode? value)
    {
        value = null;
        if (DateTimeText.SingleDate(answer, today) is not { } date || !AllowsDate(date, today)) return false;
        value = JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>The one time of day the answer names, stored as HH:mm.</summary>
    static bool TryTime(string answer, out JsonNode? value)
    {
        value = null;
        if (DateTimeText.SingleTime(answer) is not { } time) return false;
        value = JsonValue.Create(time.ToString("HH:mm", CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>One date and one time in the same answer (「明日の15時」), stored as yyyy-MM-ddTHH:mm in the scenario's time zone.</summary>
    bool TryDateTime(string answer, DateOnly today, out JsonNode? value)
    {
        value = null;
        if (DateTimeText.SingleDate(answer, today) is not { } date || !AllowsDate(date, today) || DateTimeText.SingleTime(answer) is not { } time) return false;
        value = JsonValue.Create(date.ToDateTime(time).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        return true;
    }

    bool AllowsDate(DateOnly date, DateOnly today) => _expect.Dates is not { } rules || rules.Allows(date, today);

    [GeneratedRegex(@"\A[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\z", RegexOptions.CultureInvariant, 100)]
    private static partial Regex NumberSyntax();

    [GeneratedRegex(@"\A[+-]?(\d{1,3}(,\d{3})+|\d+)\z", RegexOptions.CultureInvariant, 100)]
    private static partial Regex IntegerSyntax();

    [GeneratedRegex(@"\A[^@\s""(),:;<>\[\]\\]+@[^@\s""(),:;<>\[\]\\.]+(\.[^@\s""(),:;<>\[\]\\.]+)+\z", RegexOptions.CultureInvariant, 100)]
    private static partial Regex EmailSyntax();
}
