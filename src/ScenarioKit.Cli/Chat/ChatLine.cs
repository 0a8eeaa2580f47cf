using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScenarioKit.Cli.Chat;

/// <summary>What one line typed in <c>scenariokit chat</c> asks for.</summary>
internal abstract record ChatLine
{
    private protected ChatLine() { }

    /// <summary>Reads a line. Slash commands are case-sensitive; a bare number picks that suggested action when one exists.</summary>
    public static ChatLine Parse(string line, IReadOnlyList<string> suggestions)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
            return new Nothing();
        if (trimmed[0] != '/')
        {
            if (int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n >= 1 && n <= suggestions.Count)
                return new Say(suggestions[n - 1]);
            return new Say(trimmed);
        }

        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var command = space < 0 ? trimmed : trimmed[..space];
        var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        return command switch
        {
            "/quit" or "/exit" or "/q" => new Quit(),
            "/reset" => new Reset(),
            "/state" => new ShowState(),
            "/help" or "/?" => new ShowHelp(),
            "/handback" => new HandBack(),
            "/say" when rest.Length > 0 => new Say(rest),
            "/say" => new Invalid("/say needs the text to send, e.g. /say 1"),
            "/event" => ParseEvent(rest),
            _ => new Invalid($"unknown command {command}; /help lists the commands"),
        };
    }

    /// <summary><c>/event page_dwell seconds=35 path="/products/1"</c>: the value is an object of the pairs, or absent.</summary>
    static ChatLine ParseEvent(string rest)
    {
        var tokens = Tokenize(rest);
        if (tokens is null)
            return new Invalid("unterminated quote in /event");
        if (tokens.Count == 0)
            return new Invalid("/event needs an event name, e.g. /event page_dwell seconds=35");
        var name = tokens[0];
        if (name.Contains('=', StringComparison.Ordinal))
            return new Invalid("/event needs an event name before its key=value pairs, e.g. /event page_dwell seconds=35");

        if (tokens.Count == 1)
            return new SendEvent(name, null);
        var value = new JsonObject();
        foreach (var pair in tokens.Skip(1))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                return new Invalid($"'{pair}' is not key=value");
            try
            {
                value[pair[..eq]] = CommandLineValue.Parse(pair[(eq + 1)..]);
            }
            catch (FormatException e)
            {
                return new Invalid(e.Message);
            }
        }
        return new SendEvent(name, JsonSerializer.SerializeToElement(value));
    }

    /// <summary>Splits on spaces; double quotes group (and are kept, so <c>k="42"</c> stays the text "42"). Null on an open quote.</summary>
    static List<string>? Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                current.Append(c);
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0) tokens.Add(current.ToString());
                current.Clear();
            }
            else current.Append(c);
        }
        if (quoted) return null;
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }

    public sealed record Nothing : ChatLine;
    public sealed record Say(string Text) : ChatLine;
    public sealed record SendEvent(string Name, JsonElement? Value) : ChatLine;
    public sealed record ShowState : ChatLine;
    public sealed record ShowHelp : ChatLine;
    public sealed record Reset : ChatLine;
    public sealed record HandBack : ChatLine;
    public sealed record Quit : ChatLine;
    public sealed record Invalid(string Message) : ChatLine;
}
