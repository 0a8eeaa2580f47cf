using System.Text.RegularExpressions;

namespace ScenarioKit.Insight.Privacy;

/// <summary>
/// Masks e-mail addresses and phone numbers in free text (placeholder until the contact masker of issue 13's graph
/// part is merged: same name, namespace and signature, minimal patterns).
/// </summary>
public static partial class ContactMasker
{
    /// <summary>The text with every e-mail address and phone number (Japanese and international forms, ASCII or full-width digits) replaced.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Cheap scans first: most texts have no at sign and too few digits for a phone number.
        var masked = text.AsSpan().IndexOfAny('@', '＠') >= 0 ? Email().Replace(text, "[email]") : text;
        return DigitCount(masked) >= 10 ? Phone().Replace(masked, "[phone]") : masked;
    }

    static int DigitCount(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (c is (>= '0' and <= '9') or (>= '０' and <= '９')) digits++;
        }
        return digits;
    }

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+[@＠][\p{L}\p{N}.\-]+\.[\p{L}]{2,}", RegexOptions.CultureInvariant, 200)]
    private static partial Regex Email();

    // 090-1234-5678, 03(1234)5678, +81 90 1234 5678, (555) 123-4567, ０９０１２３４５６７８: 10+ digits with separators.
    [GeneratedRegex(@"(?<![\d０-９])(?:[+＋]\s?)?[\d０-９][\d０-９\s\-‐－ー()（）]{8,}[\d０-９](?![\d０-９])", RegexOptions.CultureInvariant, 200)]
    private static partial Regex Phone();
}
