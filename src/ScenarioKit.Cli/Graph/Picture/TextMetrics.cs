using System.Globalization;
using System.Text;

namespace ScenarioKit.Cli.Graph.Picture;

/// <summary>
/// Estimates how wide a label is, without a font at hand: the SVG is laid out here and drawn by whatever browser opens it.
/// Japanese and other wide characters take one em, Latin text about half to two thirds of one; the estimate errs on
/// the wide side so text stays inside its shape in the usual sans-serif fonts.
/// </summary>
internal static class TextMetrics
{
    public const double FontSize = 12;
    public const double LineHeight = FontSize * 1.35;

    public static double LineWidth(string line, double fontSize = FontSize)
    {
        double ems = 0;
        foreach (var rune in line.EnumerateRunes())
            ems += RuneWidth(rune);
        return ems * fontSize;
    }

    public static (double Width, double Height) Measure(string text, double fontSize = FontSize)
    {
        var lines = text.Split('\n');
        return (lines.Max(l => LineWidth(l, fontSize)), lines.Length * fontSize * 1.35);
    }

    static double RuneWidth(Rune rune)
    {
        if (IsWide(rune.Value)) return 1.0;
        if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            return 0;
        var c = rune.Value;
        if (c is ' ' or 'i' or 'l' or 'j' or 't' or 'f' or 'I' or '.' or ',' or ':' or ';' or '\'' or '|' or '!') return 0.32;
        if (c is 'm' or 'w' or 'M' or 'W' or '@' or '%') return 0.9;
        if (c is >= 'A' and <= 'Z') return 0.68;
        return 0.58;
    }

    /// <summary>East Asian Wide and Fullwidth ranges (UAX #11), plus emoji, which browsers draw one em wide.</summary>
    static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F
        or >= 0x2E80 and <= 0x303E
        or >= 0x3041 and <= 0x33FF
        or >= 0x3400 and <= 0x4DBF
        or >= 0x4E00 and <= 0x9FFF
        or >= 0xA000 and <= 0xA4CF
        or >= 0xAC00 and <= 0xD7A3
        or >= 0xF900 and <= 0xFAFF
        or >= 0xFE30 and <= 0xFE4F
        or >= 0xFF00 and <= 0xFF60
        or >= 0xFFE0 and <= 0xFFE6
        or >= 0x1F300 and <= 0x1FAFF
        or >= 0x20000 and <= 0x3FFFD;
}
