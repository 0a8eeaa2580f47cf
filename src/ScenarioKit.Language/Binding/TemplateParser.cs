using System.Collections.Immutable;
using System.Text;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Splits "text ${expr} text" into parts. '$${' is a literal '${'. A hole ends at the '}' that closes
/// it, skipping braces inside JavaScript strings, template literals and nested object literals, so
/// "${ {a: 1}.a }" and "${ '}' }" work.
/// </summary>
internal static class TemplateParser
{
    public static Template? Parse(ScalarNode node, ExprScope scope, string? action, DiagnosticBag diagnostics, List<ExprSite> sites)
    {
        var s = node.Value;
        var parts = ImmutableArray.CreateBuilder<TemplatePart>();
        var text = new StringBuilder();
        var ok = true;
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] == '$' && i + 2 < s.Length && s[i + 1] == '$' && s[i + 2] == '{')
            {
                text.Append("${");
                i += 3;
                continue;
            }
            if (s[i] == '$' && i + 1 < s.Length && s[i + 1] == '{')
            {
                var close = FindClose(s, i + 2);
                if (close < 0)
                {
                    diagnostics.Report(DiagnosticCatalog.TemplateSyntax, node.SpanOf(i, i + 2),
                        new Localized("'${' is never closed with '}' (write '$${' for a literal '${')", "'${' が '}' で閉じられていません（文字どおりの '${' は '$${' と書きます）"));
                    return null;
                }
                var source = s[(i + 2)..close];
                if (string.IsNullOrWhiteSpace(source))
                {
                    diagnostics.Report(DiagnosticCatalog.TemplateSyntax, node.SpanOf(i, close + 1), new Localized("'${}' holds no expression", "'${}' に式がありません"));
                    ok = false;
                }
                else
                {
                    if (text.Length > 0)
                    {
                        parts.Add(new TemplatePart(text.ToString(), null));
                        text.Clear();
                    }
                    var expr = new Expression(source, node.SpanOf(i + 2, close));
                    sites.Add(new ExprSite(expr, node, i + 2, scope, action));
                    parts.Add(new TemplatePart(null, expr));
                }
                i = close + 1;
                continue;
            }
            text.Append(s[i]);
            i++;
        }
        if (text.Length > 0) parts.Add(new TemplatePart(text.ToString(), null));
        return ok ? new Template(s, parts.ToImmutable(), node.Span) : null;
    }

    /// <summary>Index of the '}' closing a hole whose body starts at <paramref name="start"/>, or -1.</summary>
    static int FindClose(string s, int start, int nesting = 0)
    {
        // Bounded: adversarial input must not exhaust the stack through nested template literals.
        if (nesting > 32) return -1;
        var depth = 0;
        var i = start;
        while (i < s.Length)
        {
            var ch = s[i];
            switch (ch)
            {
                case '\'' or '"':
                    i = SkipString(s, i, ch);
                    if (i < 0) return -1;
                    continue;
                case '`':
                    i = SkipTemplateLiteral(s, i, nesting);
                    if (i < 0) return -1;
                    continue;
                case '{':
                    depth++;
                    break;
                case '}':
                    if (depth == 0) return i;
                    depth--;
                    break;
            }
            i++;
        }
        return -1;
    }

    static int SkipString(string s, int i, char quote)
    {
        for (i++; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == quote) return i + 1;
        }
        return -1;
    }

    static int SkipTemplateLiteral(string s, int i, int nesting)
    {
        for (i++; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == '`') return i + 1;
            if (s[i] == '$' && i + 1 < s.Length && s[i + 1] == '{')
            {
                var close = FindClose(s, i + 2, nesting + 1);
                if (close < 0) return -1;
                i = close;
            }
        }
        return -1;
    }
}
