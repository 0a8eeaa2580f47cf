using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ScenarioKit.Model;

/// <summary>
/// How recognition sees text (DESIGN §4 step 1), in one place for the engine that matches and the compiler
/// that checks intents against each other, so the two agree: NFKC turns full-width digits and letters into
/// ASCII and half-width kana into full-width kana, then trim; <see cref="Fold"/> adds invariant case folding.
/// </summary>
public static class MatchText
{
    /// <summary>Intent patterns run on folded input with these options.</summary>
    public const RegexOptions PatternOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Ascii.IsValid(text))
        {
            text = WithoutLoneSurrogates(text);
            text = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        }
        return text.Trim();
    }

    /// <summary>
    /// A lone surrogate (half of an emoji cut off, or a JSON "\ud800" escape) becomes U+FFFD, as a UTF-8 decoder does:
    /// normalisation throws on it, and neither a customer's message nor a scenario's text may fail because of one.
    /// </summary>
    static string WithoutLoneSurrogates(string text)
    {
        StringBuilder? repaired = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) : !char.IsLowSurrogate(c);
            if (paired && char.IsHighSurrogate(c))
            {
                repaired?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (!paired) repaired ??= new StringBuilder(text.Length).Append(text, 0, i);
            repaired?.Append(paired ? c : '\uFFFD');
        }
        return repaired?.ToString() ?? text;
    }

    /// <summary>Case folding for matching: invariant lower case (Latin, Greek, Cyrillic; kana and kanji have no case).</summary>
    public static string Fold(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return normalized.ToLower(CultureInfo.InvariantCulture);
    }

    public static string NormalizeAndFold(string text) => Fold(Normalize(text));
}
