using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Tests.Support;

/// <summary>Small builders for compiled models, so engine tests do not depend on the YAML compiler.</summary>
internal static class B
{
    static int s_line;

    public static SourceSpan Span()
    {
        var line = Interlocked.Increment(ref s_line);
        return new SourceSpan("test.yaml", line, 3, line, 20);
    }

    public static Expression E(string source) => new(source, Span());

    /// <summary>Splits <c>${…}</c> holes the way the compiler does (<c>$${</c> is a literal <c>${</c>).</summary>
    public static Template T(string source)
    {
        var parts = ImmutableArray.CreateBuilder<TemplatePart>();
        var text = new StringBuilder();
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '$' && i + 2 < source.Length && source[i + 1] == '$' && source[i + 2] == '{')
            {
                text.Append("${");
                i += 2;
                continue;
            }
            if (source[i] == '$' && i + 1 < source.Length && source[i + 1] == '{')
            {
                var depth = 1;
                var j = i + 2;
                for (; j < source.Length && depth > 0; j++)
                {
                    if (source[j] == '{') depth++;
                    else if (source[j] == '}') depth--;
                }
                if (text.Length > 0) { parts.Add(new TemplatePart(text.ToString(), null)); text.Clear(); }
                parts.Add(new TemplatePart(null, E(source[(i + 2)..(j - 1)])));
                i = j - 1;
                continue;
            }
            text.Append(source[i]);
        }
        if (text.Length > 0 || parts.Count == 0) parts.Add(new TemplatePart(text.ToString(), null));
        return new Template(source, parts.ToImmutable(), Span());
    }

    public static Message M(string text, params string[] suggestions) =>
        new([T(text)], [.. suggestions.Select(T)], Span());

    public static Message Variations(params string[] texts) => new([.. texts.Select(T)], [], Span());

    public static VariableDef Var(string name, VariableType type = VariableType.String, object? @default = null, VariableScope scope = VariableScope.Conversation) =>
        new(name, type, [], @default is null ? null : JsonSerializer.SerializeToElement(@default), scope, null, Span());

    public static IntentDef Intent(string name, string[]? examples = null, string[]? patterns = null, string[]? keywords = null,
        DigitalFit fit = DigitalFit.High, bool interrupts = false, string? description = null) =>
        new(name, [.. examples ?? []], [.. patterns ?? []], [.. keywords ?? []], fit, interrupts, description, Span());

    public static FlowDef Flow(string name, string? intent, params Step[] steps) =>
        new(name, intent is null ? null : new FlowTrigger(intent, null, Span()), [.. steps], null, Span());

    public static FlowDef EventFlow(string name, string @event, string? when, params Step[] steps) =>
        new(name, new FlowTrigger(null, new EventTrigger(@event, when is null ? null : E(when), Span()), Span()), [.. steps], null, Span());

    public static SayStep Say(string id, string text, params string[] suggestions) => new(id, M(text, suggestions), Span());

    public static AskStep Ask(string id, string variable, string prompt, Expectation? expect = null, string? retry = null, int maxAttempts = 3, params Step[] onFail) =>
        new(id, variable, M(prompt), expect ?? Expectation.AnyText, retry is null ? null : M(retry), maxAttempts, [.. onFail], Span());

    public static Expectation Expect(ExpectKind kind, string? pattern = null, double? min = null, double? max = null, params Choice[] choices) =>
        new(kind, pattern, [.. choices], min, max, Span());

    public static CallStep Call(string id, string action, string? into, (string Name, string Value)[] with, params Step[] onError) =>
        new(id, action, [.. with.Select(w => new Argument(w.Name, T(w.Value)))], into, [.. onError], Span());

    public static SetStep Set(string id, string variable, string template) => new(id, [new Assignment(variable, null, T(template), Span())], Span());

    public static SetStep SetLiteral(string id, string variable, object? literal) =>
        new(id, [new Assignment(variable, JsonSerializer.SerializeToElement(literal), null, Span())], Span());

    public static IfStep If(string id, string condition, Step[] then, Step[]? @else = null) => new(id, E(condition), [.. then], [.. @else ?? []], Span());

    public static GotoStep Goto(string id, string? stage = null, string? flow = null) => new(id, stage, flow, Span());

    public static HandoffStep Handoff(string id, string queue, string? say = null) => new(id, queue, null, say is null ? null : M(say), [], Span());

    public static EndStep End(string id, string? say = null) => new(id, say is null ? null : M(say), Span());

    public static ActionDef Script(string name, string[] parameters, string source) =>
        new(name, null, new ScriptAction([.. parameters], source, Span()), Span());

    public static ActionDef Http(string name, string url, string? result = null, int retries = 0, int timeoutMs = 2000, HttpMethodKind method = HttpMethodKind.Get, string? body = null, params (string Name, string Value)[] headers) =>
        new(name, new HttpAction(method, T(url), [.. headers.Select(h => new Header(h.Name, T(h.Value)))], body is null ? null : T(body), timeoutMs, retries, result, Span()), null, Span());

    public static QueueDef Queue(string name, string timeZone, params OpeningWindow[] windows) => new(name, null, [.. windows], timeZone, Span());

    public static OpeningWindow[] Days(DayOfWeek from, DayOfWeek to, int openHour, int closeHour)
    {
        var list = new List<OpeningWindow>();
        for (var d = (int)from; ; d = (d + 1) % 7)
        {
            list.Add(new OpeningWindow((DayOfWeek)d, TimeSpan.FromHours(openHour), TimeSpan.FromHours(closeHour)));
            if (d == (int)to) break;
        }
        return [.. list];
    }

    public static HandoffRule Rule(string id, string queue, string? intent = null, string? when = null, string? say = null, params string[] offer) =>
        new(id, intent, when is null ? null : E(when), queue, say is null ? null : M(say), [.. offer], Span());

    public static StageDef Stage(string name, EventTrigger[]? entersOn = null, params ProactiveRule[] proactive) =>
        new(name, [.. entersOn ?? []], [.. proactive], Span());

    public static EventTrigger On(string @event, string? when = null) => new(@event, when is null ? null : E(when), Span());

    public static ProactiveRule Proactive(string id, EventTrigger on, string? say, Cap cap, string? flow = null) =>
        new(id, on, say is null ? null : M(say), flow, cap, Span());

    public static ScenarioModel Scenario(string locale = "en-US") => new(
        1, "test", "1.0.0", locale, null, RecognizerSettings.Default, null, null,
        [], [], [], [], [], HandoffDef.Empty, ["test.yaml"]);

    public static ScenarioPackage Package(ScenarioModel model) => PackageFormat.CreatePackage(model, "test");

    public static ScenarioRuntime Load(ScenarioModel model, RuntimeOptions? options = null) => ScenarioRuntime.Load(Package(model), options);
}
