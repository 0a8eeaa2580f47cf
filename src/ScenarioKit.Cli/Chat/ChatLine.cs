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
            "/handback" => ParseHandBack(rest),
            "/accept" when rest.Length == 0 => new Accept(),
            "/accept" => new Invalid("/accept takes nothing after it"),
            "/timeout" when rest.Length == 0 => new Timeout(),
            "/timeout" => new Invalid("/timeout takes nothing after it"),
            "/agent" when rest.Length > 0 => new AgentSays(rest),
            "/agent" => new Invalid("/agent needs the agent's text, e.g. /agent Hello, this is Sato"),
            "/wait" => ParseWait(rest),
            "/say" when rest.Length > 0 => new Say(rest),
            "/say" => new Invalid("/say needs the text to send, e.g. /say 1"),
            "/event" => ParseEvent(rest),
            "/explain" => new Explain(rest.Length == 0 ? null : rest),
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
        if (ReadPairs(tokens.Skip(1), (key, node) => value[key] = node) is { } problem)
            return problem;
        return new SendEvent(name, JsonSerializer.SerializeToElement(value));
    }

    /// <summary>
    /// <c>/handback [flow] [key=value …]</c>: the flow the bot starts and values the agent sets, typed as
    /// <c>/event</c>'s pairs. Whether the scenario has them is the runtime's check, not the parser's.
    /// </summary>
    static ChatLine ParseHandBack(string rest)
    {
        var tokens = Tokenize(rest);
        if (tokens is null)
            return new Invalid("unterminated quote in /handback");
        string? flow = null;
        var pairs = tokens;
        if (tokens.Count > 0 && !tokens[0].Contains('=', StringComparison.Ordinal))
        {
            flow = tokens[0];
            pairs = tokens[1..];
        }
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (ReadPairs(pairs, (key, node) => values[key] = node) is { } problem)
            return new Invalid(problem.Message + " (/handback [flow] [key=value …])");
        return new HandBack(flow, values.Count == 0 ? null : values);
    }

    /// <summary>Null when every token is key=value with a readable value, else what is wrong with the first that is not.</summary>
    static Invalid? ReadPairs(IEnumerable<string> pairs, Action<string, JsonNode?> add)
    {
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                return new Invalid($"'{pair}' is not key=value");
            try
            {
                add(pair[..eq], CommandLineValue.Parse(pair[(eq + 1)..]));
            }
            catch (FormatException e)
            {
                return new Invalid(e.Message);
            }
        }
        return null;
    }

    /// <summary><c>/wait 11m</c>: whole numbers with units d, h, m, s in that order (<c>90s</c>, <c>1h30m</c>), at most a year.</summary>
    static ChatLine ParseWait(string rest)
    {
        const string Usage = "/wait needs a duration such as 30s, 11m, 2h or 1h30m";
        if (rest.Length == 0)
            return new Invalid(Usage);
        long seconds = 0;
        var lastUnit = -1;
        var i = 0;
        while (i < rest.Length)
        {
            var start = i;
            while (i < rest.Length && char.IsAsciiDigit(rest[i])) i++;
            if (i == start || i >= rest.Length || i - start > 9)
                return new Invalid($"'{rest}': {Usage}");
            var unit = "dhms".IndexOf(rest[i], StringComparison.Ordinal);
            if (unit <= lastUnit)
                return new Invalid($"'{rest}': {Usage}");
            lastUnit = unit;
            seconds += long.Parse(rest.AsSpan(start, i - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)
                * unit switch { 0 => 86400L, 1 => 3600L, 2 => 60L, _ => 1L };
            i++;
        }
        if (seconds <= 0 || seconds > 366L * 86400)
            return new Invalid($"'{rest}': {Usage} (more than 0s, at most 366d)");
        return new Wait(TimeSpan.FromSeconds(seconds));
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
    /// <summary>Why <paramref name="Text"/> (null: the customer's last message) gets its intent; runs no turn.</summary>
    public sealed record Explain(string? Text) : ChatLine;
    public sealed record Reset : ChatLine;
    /// <summary>The agent returns the conversation to the bot, optionally into <paramref name="Flow"/> with <paramref name="Variables"/> set.</summary>
    public sealed record HandBack(string? Flow = null, IReadOnlyDictionary<string, JsonNode?>? Variables = null) : ChatLine;
    public sealed record Accept : ChatLine;
    public sealed record AgentSays(string Text) : ChatLine;
    public sealed record Timeout : ChatLine;
    public sealed record Wait(TimeSpan Duration) : ChatLine;
    public sealed record Quit : ChatLine;
    public sealed record Invalid(string Message) : ChatLine;
}
