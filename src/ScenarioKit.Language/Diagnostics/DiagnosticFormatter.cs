using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScenarioKit.Language.Diagnostics;

/// <summary>
/// Writes diagnostics as compiler text (roslyn's <c>path(line,col): error SK3002: message</c> plus the
/// source line and a caret), as JSON, or as SARIF 2.1.0. Paths are the span paths (relative to the
/// scenario folder), prefixed with <c>displayRoot</c> when given.
/// </summary>
public static class DiagnosticFormatter
{
    const string Red = "\u001b[31;1m", Yellow = "\u001b[33;1m", Cyan = "\u001b[36m", Dim = "\u001b[2m", Reset = "\u001b[0m";

    /// <summary>Compiler text: per diagnostic the first line, source line, caret, hint and related places; then, unless <paramref name="summary"/> is false, "N error(s), M warning(s)".</summary>
    public static void FormatText(CompilationResult result, TextWriter writer, bool color, string? displayRoot = null, bool summary = true)
    {
        foreach (var d in result.Diagnostics)
        {
            var path = DisplayPath(d.Span.File, displayRoot);
            var severity = Diagnostic.SeverityText(d.Severity);
            var sevColor = d.Severity switch { DiagnosticSeverity.Error => Red, DiagnosticSeverity.Warning => Yellow, _ => Cyan };
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{path}({d.Span.Line},{d.Span.Column}): "));
            writer.Write(color ? $"{sevColor}{severity} {d.Id}{Reset}" : $"{severity} {d.Id}");
            writer.WriteLine(": " + d.Message);
            if (result.Sources.TryGetValue(d.Span.File, out var text) && d.Span.Line >= 1)
            {
                var line = LineOf(text, d.Span.Line);
                if (line is not null)
                {
                    var number = d.Span.Line.ToString(CultureInfo.InvariantCulture);
                    var gutter = new string(' ', number.Length);
                    var shown = line.Replace('\t', ' ');
                    var start = Math.Clamp(d.Span.Column - 1, 0, shown.Length);
                    var end = d.Span.EndLine == d.Span.Line ? Math.Clamp(d.Span.EndColumn - 1, start, shown.Length) : shown.Length;
                    if (end == start) end = Math.Min(start + 1, Math.Max(shown.Length, start + 1));
                    var pad = new string(' ', TextCells.Width(shown.AsSpan(0, start)));
                    var caretCells = Math.Max(1, TextCells.Width(shown.AsSpan(start, Math.Min(end, shown.Length) - start)));
                    var caret = new string('^', caretCells);
                    writer.WriteLine(color ? $"{Dim}{number} |{Reset} {shown}" : $"{number} | {shown}");
                    writer.WriteLine(color ? $"{Dim}{gutter} |{Reset} {pad}{sevColor}{caret}{Reset}" : $"{gutter} | {pad}{caret}");
                }
            }
            if (!string.IsNullOrEmpty(d.Hint))
                writer.WriteLine(color ? $"  {Cyan}= hint:{Reset} {d.Hint}" : $"  = hint: {d.Hint}");
            foreach (var r in d.Related)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  = see: {DisplayPath(r.File, displayRoot)}({r.Line},{r.Column})"));
        }
        if (!summary) return;
        var errors = result.Diagnostics.Count(x => x.Severity == DiagnosticSeverity.Error);
        var warnings = result.Diagnostics.Count(x => x.Severity == DiagnosticSeverity.Warning);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{errors} error(s), {warnings} warning(s)"));
    }

    /// <summary>The first line of each diagnostic only, as the golden files hold them.</summary>
    public static string FormatLines(IEnumerable<Diagnostic> diagnostics)
    {
        var sb = new StringBuilder();
        foreach (var d in diagnostics) sb.Append(d.ToString()).Append('\n');
        return sb.ToString();
    }

    static string? LineOf(string text, int line)
    {
        var current = 1;
        var start = 0;
        for (var i = 0; i < text.Length && current < line; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            if (c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029')
            {
                current++;
                start = i + 1;
            }
        }
        if (current != line) return null;
        var end = start;
        while (end < text.Length && text[end] is not ('\r' or '\n' or '\u0085' or '\u2028' or '\u2029')) end++;
        return text[start..end];
    }

    static string DisplayPath(string file, string? root) =>
        string.IsNullOrEmpty(root) ? file : Path.Combine(root, file).Replace('\\', '/');

    static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON array: id, severity, path, line, column, endLine, endColumn, message, hint, helpUri, related.</summary>
    public static void FormatJson(CompilationResult result, TextWriter writer, string? displayRoot = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteBoolean("success", result.Success);
            w.WriteStartArray("diagnostics");
            foreach (var d in result.Diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("severity", Diagnostic.SeverityText(d.Severity));
                w.WriteString("path", DisplayPath(d.Span.File, displayRoot));
                w.WriteNumber("line", d.Span.Line);
                w.WriteNumber("column", d.Span.Column);
                w.WriteNumber("endLine", d.Span.EndLine);
                w.WriteNumber("endColumn", d.Span.EndColumn);
                w.WriteString("message", d.Message);
                if (d.Hint is not null) w.WriteString("hint", d.Hint);
                w.WriteString("helpUri", d.Descriptor.HelpUri);
                if (d.Related.Length > 0)
                {
                    w.WriteStartArray("related");
                    foreach (var r in d.Related)
                    {
                        w.WriteStartObject();
                        w.WriteString("path", DisplayPath(r.File, displayRoot));
                        w.WriteNumber("line", r.Line);
                        w.WriteNumber("column", r.Column);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>
    /// SARIF 2.1.0 (OASIS): one run, the whole catalog as rules, results with physical locations. Columns
    /// are UTF-16 code units (run.columnKind), 1-based; endColumn is exclusive, as SARIF regions are.
    /// </summary>
    public static void FormatSarif(CompilationResult result, TextWriter writer, string? displayRoot = null)
    {
        var rules = DiagnosticCatalog.All;
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", "ScenarioKit");
            w.WriteString("version", ScenarioCompiler.Version);
            w.WriteString("semanticVersion", ScenarioCompiler.Version);
            w.WriteString("informationUri", "https://github.com/scenariokit/scenariokit");
            w.WriteStartArray("rules");
            foreach (var r in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("name", string.Concat(r.Title.Split(' ', '-').Where(s => s.Length > 0).Select(s => char.ToUpperInvariant(s[0]) + s[1..])));
                w.WriteStartObject("shortDescription");
                w.WriteString("text", r.Title);
                w.WriteEndObject();
                w.WriteStartObject("fullDescription");
                w.WriteString("text", r.Hint);
                w.WriteEndObject();
                w.WriteString("helpUri", r.HelpUri);
                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", Level(r.DefaultSeverity));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("columnKind", "utf16CodeUnits");
            if (!string.IsNullOrEmpty(displayRoot))
            {
                w.WriteStartObject("originalUriBaseIds");
                w.WriteStartObject("SCENARIOROOT");
                w.WriteString("uri", new Uri(Path.GetFullPath(displayRoot).TrimEnd('/', '\\') + "/").AbsoluteUri);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteStartArray("results");
            foreach (var d in result.Diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", d.Id);
                w.WriteNumber("ruleIndex", ruleIndex.GetValueOrDefault(d.Id));
                w.WriteString("level", Level(d.Severity));
                w.WriteStartObject("message");
                w.WriteString("text", d.Message);
                w.WriteEndObject();
                w.WriteStartArray("locations");
                WriteLocation(w, d.Span, displayRoot);
                w.WriteEndArray();
                if (d.Related.Length > 0)
                {
                    w.WriteStartArray("relatedLocations");
                    var id = 1;
                    foreach (var r in d.Related) WriteLocation(w, r, displayRoot, id++);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    static void WriteLocation(Utf8JsonWriter w, Model.SourceSpan span, string? root, int? id = null)
    {
        w.WriteStartObject();
        if (id is { } i) w.WriteNumber("id", i);
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        w.WriteString("uri", string.Join('/', span.File.Split('/').Select(Uri.EscapeDataString)));
        if (!string.IsNullOrEmpty(root)) w.WriteString("uriBaseId", "SCENARIOROOT");
        w.WriteEndObject();
        if (span.Line >= 1)
        {
            w.WriteStartObject("region");
            w.WriteNumber("startLine", span.Line);
            w.WriteNumber("startColumn", Math.Max(1, span.Column));
            w.WriteNumber("endLine", Math.Max(span.Line, span.EndLine));
            w.WriteNumber("endColumn", Math.Max(span.EndLine > span.Line ? 1 : span.Column, span.EndColumn));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    static string Level(DiagnosticSeverity s) => s switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };
}

/// <summary>Terminal cell widths: East Asian wide and full-width characters take two cells (as spectre's Cell).</summary>
internal static class TextCells
{
    public static int Width(ReadOnlySpan<char> text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes()) width += Width(rune.Value);
        return width;
    }

    static int Width(int cp)
    {
        if (cp < 0x20) return 0;
        if (cp < 0x1100) return 1;
        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) return 0;
        return IsWide(cp) ? 2 : 1;
    }

    static bool IsWide(int cp) =>
        cp is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or (>= 0x3400 and <= 0x4DBF)
            or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F)
            or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x2FFFD) or (>= 0x30000 and <= 0x3FFFD);
}
