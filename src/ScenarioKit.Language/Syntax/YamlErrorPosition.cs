namespace ScenarioKit.Language.Syntax;

/// <summary>
/// Where a YamlDotNet syntax error really is. Most of its errors carry the offending character's mark, but
/// some carry the start of the construct being scanned (issue 10): a tab used as indentation is reported at
/// the mapping's start — (1,1) for a top-level mapping — or at the plain scalar before it, and a bad escape
/// at the opening quote. This adapter moves those to the offending character; every other error keeps its
/// mark. Golden cases: tests/ScenarioKit.Language.Tests/Golden/syntax/yaml-*.yaml, one per message.
/// </summary>
internal static class YamlErrorPosition
{
    /// <summary>The [start, end) character range to report, given the range YamlDotNet reported.</summary>
    public static (int Start, int End) Refine(string text, string message, int start, int end)
    {
        if (message.Contains("tab", StringComparison.Ordinal) && message.Contains("indentation", StringComparison.Ordinal))
            return FirstIndentingTab(text, start) is var tab and >= 0 ? (tab, tab + 1) : (start, end);
        if (message.Contains("While scanning a quoted scalar", StringComparison.Ordinal) && message.Contains("escape", StringComparison.Ordinal)
            || message.Contains("hexadecimal number", StringComparison.Ordinal) || message.Contains("Unicode surrogates", StringComparison.Ordinal))
            return FirstBadEscape(text, start) is var (s, e) && s >= 0 ? (s, e) : (start, end);
        if (message.Contains("anchor or alias, found value containing disallowed", StringComparison.Ordinal))
            return FirstOf(text, start, static c => c is '[' or ']' or '{' or '}' or ',', stopAtSpace: true, start, end);
        if (message.Contains("indentation indicator equal to 0", StringComparison.Ordinal))
            return FirstOf(text, start, static c => c == '0', stopAtSpace: false, start, end);
        if (message.Contains("block scalar, did not find expected comment or line break", StringComparison.Ordinal))
            return FirstOf(text, start + 1, static c => c is not (' ' or '+' or '-') && !char.IsAsciiDigit(c), stopAtSpace: false, start, end);
        if (message.Contains("unexpected document indicator", StringComparison.Ordinal))
            return DocumentMarkerAfter(text, start) is var marker and >= 0 ? (marker, marker + 3) : (start, end);
        return (start, end);
    }

    /// <summary>The first character on the same line after <paramref name="from"/> that <paramref name="test"/> accepts.</summary>
    static (int Start, int End) FirstOf(string text, int from, Func<char, bool> test, bool stopAtSpace, int start, int end)
    {
        for (var i = Math.Clamp(from, 0, text.Length); i < text.Length && text[i] is not ('\n' or '\r'); i++)
        {
            if (stopAtSpace && text[i] == ' ') break;
            if (test(text[i])) return (i, i + 1);
        }
        return (start, end);
    }

    /// <summary>The first '---' or '...' at the start of a line after <paramref name="from"/>; -1 if none.</summary>
    static int DocumentMarkerAfter(string text, int from)
    {
        for (var i = text.IndexOf('\n', Math.Clamp(from, 0, text.Length)); i >= 0 && i + 3 < text.Length; i = text.IndexOf('\n', i + 1))
            if (text.AsSpan(i + 1).StartsWith("---", StringComparison.Ordinal) || text.AsSpan(i + 1).StartsWith("...", StringComparison.Ordinal))
                return i + 1;
        return -1;
    }

    /// <summary>The first tab in the indentation of a line at or after <paramref name="from"/>'s line; -1 if none.</summary>
    static int FirstIndentingTab(string text, int from)
    {
        var lineStart = from;
        while (lineStart > 0 && text[lineStart - 1] is not ('\n' or '\r')) lineStart--;
        for (var i = lineStart; i < text.Length; i++)
        {
            // i is at the start of a line: walk its indentation.
            var j = i;
            while (j < text.Length && text[j] is ' ' or '\t')
            {
                if (text[j] == '\t') return j;
                j++;
            }
            while (j < text.Length && text[j] is not ('\n' or '\r')) j++;
            i = j;
        }
        return -1;
    }

    /// <summary>
    /// The first invalid escape of the double-quoted scalar opening at or after <paramref name="from"/>:
    /// an unknown escape character, too few hex digits, or a code point that is a surrogate or beyond U+10FFFF.
    /// </summary>
    static (int Start, int End) FirstBadEscape(string text, int from)
    {
        var quote = text.IndexOf('"', Math.Clamp(from, 0, text.Length));
        if (quote < 0) return (-1, -1);
        for (var i = quote + 1; i < text.Length && text[i] != '"'; i++)
        {
            if (text[i] != '\\') continue;
            if (i + 1 >= text.Length) return (i, i + 1);
            var c = text[i + 1];
            var digits = c switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
            if (digits == 0)
            {
                if (!"0abt\tnvfre \"/\\N_LP\r\n".Contains(c, StringComparison.Ordinal)) return (i, i + 2);
                i++;
                continue;
            }
            var hex = 0;
            while (hex < digits && i + 2 + hex < text.Length && char.IsAsciiHexDigit(text[i + 2 + hex])) hex++;
            if (hex < digits) return (i, i + 2 + hex);
            var code = Convert.ToInt64(text.Substring(i + 2, digits), 16);
            if (code is >= 0xD800 and <= 0xDFFF or > 0x10FFFF) return (i, i + 2 + digits);
            i += 1 + digits;
        }
        return (-1, -1);
    }
}
