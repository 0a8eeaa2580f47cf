using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Cli.Chat;

/// <summary>
/// A value typed on a command line (<c>seconds=35</c>, <c>--mock lookupOrder=shipped</c>): numbers,
/// <c>true</c>/<c>false</c>/<c>null</c> and JSON objects, arrays or quoted strings keep their JSON type;
/// anything else is text.
/// </summary>
internal static class CommandLineValue
{
    /// <exception cref="FormatException">The text starts like JSON (<c>{</c>, <c>[</c>, <c>"</c>) but is not valid JSON.</exception>
    public static JsonNode? Parse(string text)
    {
        switch (text)
        {
            case "true": return JsonValue.Create(true);
            case "false": return JsonValue.Create(false);
            case "null": return null;
        }
        if (IsNumber(text))
            return JsonNode.Parse(text);
        if (text.Length > 0 && text[0] is '{' or '[' or '"')
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new FormatException($"'{text}' starts like JSON but is not valid JSON: {e.Message}", e);
            }
        }
        return JsonValue.Create(text);
    }

    // JSON's number grammar, so "1e3" is a number but "0x10", "1_000", "１２" (full-width) and "08" stay text.
    static bool IsNumber(string text)
    {
        if (text.Length == 0 || text.Length > 64) return false;
        var i = 0;
        if (text[i] == '-') i++;
        if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
        if (text[i] == '0' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])) return false;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-') i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        return i == text.Length && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }
}
