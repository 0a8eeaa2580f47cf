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
            text = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        return text.Trim();
    }

    /// <summary>Case folding for matching: invariant lower case (Latin, Greek, Cyrillic; kana and kanji have no case).</summary>
    public static string Fold(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return normalized.ToLower(CultureInfo.InvariantCulture);
    }

    public static string NormalizeAndFold(string text) => Fold(Normalize(text));
}
