using ScenarioKit.Model;

namespace ScenarioKit.Language.Syntax;

/// <summary>
/// The text of one scenario file and its line table. <see cref="Path"/> is relative to the scenario
/// root with forward slashes. Lines break where YamlDotNet breaks them (\r\n, \r, \n, U+0085, U+2028,
/// U+2029) so that positions computed here agree with YamlDotNet's marks.
/// </summary>
public sealed class SourceFile
{
    readonly int[] lineStarts;

    public SourceFile(string path, string text)
    {
        Path = path;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
            else if (c is '\n' or '\u0085' or '\u2028' or '\u2029')
            {
                starts.Add(i + 1);
            }
        }
        lineStarts = [.. starts];
    }

    public string Path { get; }
    public string Text { get; }
    public int LineCount => lineStarts.Length;

    /// <summary>1-based line and UTF-16 column of a 0-based character index.</summary>
    public (int Line, int Column) PositionOf(int index)
    {
        index = Math.Clamp(index, 0, Text.Length);
        var line = Array.BinarySearch(lineStarts, index);
        if (line < 0) line = ~line - 1;
        return (line + 1, index - lineStarts[line] + 1);
    }

    public SourceSpan Span(int start, int end)
    {
        var (l1, c1) = PositionOf(start);
        var (l2, c2) = PositionOf(Math.Max(start, end));
        return new SourceSpan(Path, l1, c1, l2, c2);
    }

    public SourceSpan Start => new(Path, 1, 1, 1, 1);

    /// <summary>The text of a 1-based line without its line break.</summary>
    public string LineText(int line)
    {
        if (line < 1 || line > lineStarts.Length) return "";
        var start = lineStarts[line - 1];
        var end = line < lineStarts.Length ? lineStarts[line] : Text.Length;
        while (end > start && Text[end - 1] is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029') end--;
        return Text[start..end];
    }
}
