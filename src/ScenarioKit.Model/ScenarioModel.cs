using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScenarioKit.Model;

// The compiled scenario: what the compiler emits and the runtime loads. It knows nothing of YAML.
// Every node keeps the span of the YAML it came from so runtime errors point into the source.
// Collections are ImmutableArray in source order (deterministic JSON, no dictionaries whose
// order could vary); the engine builds its own lookup tables once per loaded package.
// Records compare ImmutableArrays by reference: compare contents in tests.

/// <summary>A place in a scenario source. Line and column are 1-based; columns count UTF-16 code units.</summary>
public sealed record SourceSpan(string File, int Line, int Column, int EndLine, int EndColumn)
{
    public static readonly SourceSpan None = new("", 0, 0, 0, 0);
    public override string ToString() => $"{File}({Line},{Column})";
}

/// <summary>A JavaScript expression (condition or template hole), checked by the compiler, evaluated by the engine under the sandbox.</summary>
public sealed record Expression(string Source, SourceSpan Span);

/// <summary>One piece of a template: literal text, or an expression whose value is inserted.</summary>
public sealed record TemplatePart(string? Text, Expression? Expression);

/// <summary>
/// A text with <c>${…}</c> holes, pre-split by the compiler. A template that is exactly one hole
/// (<c>"${cart.total * 2}"</c>) keeps the expression's type when assigned with <c>set</c>.
/// </summary>
public sealed record Template(string Source, ImmutableArray<TemplatePart> Parts, SourceSpan Span)
{
    public bool IsLiteral => Parts.All(p => p.Expression is null);
}

/// <summary>A bot message: one of several variations is chosen per send, plus suggested replies.</summary>
public sealed record Message(ImmutableArray<Template> Variations, ImmutableArray<Template> Suggestions, SourceSpan Span);

[JsonConverter(typeof(JsonStringEnumConverter<VariableType>))]
public enum VariableType { String, Number, Integer, Boolean, Object, List }

[JsonConverter(typeof(JsonStringEnumConverter<VariableScope>))]
public enum VariableScope { Conversation, User }

/// <summary>A typed scenario variable. Names may be dotted (<c>order.number</c>); expressions see them as nested objects.</summary>
public sealed record VariableDef(
    string Name,
    VariableType Type,
    ImmutableArray<JsonElement> Enum,
    JsonElement? Default,
    VariableScope Scope,
    string? Description,
    SourceSpan Span)
{
    /// <summary>Personal data (<c>pii: true</c>): reports and exports mask its values.</summary>
    /// <remarks>Left out of the package JSON when false, so packages of scenarios without it keep their content hash.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Pii { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DigitalFit>))]
public enum DigitalFit { High, Medium, Low }

/// <summary>An intent: recognised by patterns (.NET regex, case-insensitive), keywords, then example similarity.</summary>
public sealed record IntentDef(
    string Name,
    ImmutableArray<string> Examples,
    ImmutableArray<string> Patterns,
    ImmutableArray<string> Keywords,
    DigitalFit DigitalFit,
    bool Interrupts,
    string? Description,
    SourceSpan Span)
{
    /// <summary>
    /// The intent's patterns and keywords decide whenever they match, however little of the message they cover and whatever
    /// the rest of it says (<c>rulesDecide: true</c>; docs/engine.md "Rules and the rest of the message").
    /// </summary>
    /// <remarks>Left out of the package JSON when false, so packages of scenarios without it keep their content hash.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool RulesDecide { get; init; }
}

/// <summary>
/// Recognition settings: minimum confidence and the margin under which two intents are ambiguous; <see cref="Lexicon"/> is
/// whether similarity also reads words through the built-in support lexicon (docs/engine.md "Built-in lexicon"; on unless
/// the scenario says <c>lexicon: false</c>, so a package compiled before it existed reads words through it too).
/// </summary>
public sealed record RecognizerSettings(double Threshold, double AmbiguityMargin, Message? Clarify, bool Lexicon = true)
{
    public static readonly RecognizerSettings Default = new(0.5, 0.05, null);
}

/// <summary>A site/behaviour event, optionally with a condition over <c>event</c> and the variables.</summary>
public sealed record EventTrigger(string Event, Expression? When, SourceSpan Span);

[JsonConverter(typeof(JsonStringEnumConverter<CapKind>))]
public enum CapKind { None, OncePerConversation, OncePerStage, Cooldown }

public sealed record Cap(CapKind Kind, TimeSpan? Cooldown)
{
    public static readonly Cap None = new(CapKind.None, null);
}

/// <summary>A proactive rule: when its event fires in its stage, the bot speaks up and/or starts a flow.</summary>
public sealed record ProactiveRule(string Id, EventTrigger On, Message? Say, string? Flow, Cap Cap, SourceSpan Span);

/// <summary>A customer-journey stage; stages are ordered (browsing → cart → checkout → after purchase).</summary>
public sealed record StageDef(string Name, ImmutableArray<EventTrigger> EntersOn, ImmutableArray<ProactiveRule> Proactive, SourceSpan Span);

/// <summary>What starts a flow: an intent, or an event (optionally conditioned).</summary>
public sealed record FlowTrigger(string? Intent, EventTrigger? Event, SourceSpan Span);

public sealed record FlowDef(string Name, FlowTrigger? Trigger, ImmutableArray<Step> Steps, string? Description, SourceSpan Span);

/// <summary>
/// A flow step. <see cref="Id"/> is stable and assigned by the compiler (e.g. <c>order_status/2</c>,
/// <c>order_status/3/then/0</c>); coverage and saved conversation positions use it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(SayStep), "say")]
[JsonDerivedType(typeof(AskStep), "ask")]
[JsonDerivedType(typeof(CallStep), "call")]
[JsonDerivedType(typeof(SetStep), "set")]
[JsonDerivedType(typeof(IfStep), "if")]
[JsonDerivedType(typeof(GotoStep), "goto")]
[JsonDerivedType(typeof(HandoffStep), "handoff")]
[JsonDerivedType(typeof(EndStep), "end")]
[JsonDerivedType(typeof(TicketStep), "ticket")]
public abstract record Step(string Id, SourceSpan Span);

public sealed record SayStep(string Id, Message Message, SourceSpan Span) : Step(Id, Span);

[JsonConverter(typeof(JsonStringEnumConverter<ExpectKind>))]
// New kinds go at the end: packages store the names, but keep the order stable for readers of older builds.
public enum ExpectKind { Text, Pattern, Number, Integer, Choice, YesNo, Email, Phone, Date, Time, DateTime }

/// <summary>A choice value and the synonyms that also select it (compared after NFKC + case folding).</summary>
public sealed record Choice(string Value, ImmutableArray<string> Synonyms);

/// <summary>
/// What an <c>ask</c> accepts. Input is NFKC-normalised and trimmed first. <c>Pattern</c> is a .NET
/// regex the whole answer must match (kinds other than Pattern may still add one).
/// </summary>
public sealed record Expectation(ExpectKind Kind, string? Pattern, ImmutableArray<Choice> Choices, double? Min, double? Max, SourceSpan Span)
{
    public static readonly Expectation AnyText = new(ExpectKind.Text, null, [], null, null, SourceSpan.None);

    /// <summary>For <c>date</c> and <c>datetime</c>: the bounds and weekdays the date must keep; null when none are given.</summary>
    public DateConstraints? Dates { get; init; }
}

/// <summary>A date bound: a fixed date, or <see cref="Days"/> from the scenario's today (<c>today</c> = 0, <c>+30d</c>, <c>-1d</c>).</summary>
public sealed record DateBound(DateOnly? Date, int Days)
{
    public DateOnly Resolve(DateOnly today) => Date ?? today.AddDays(Days);
}

/// <summary>
/// What a date answer must also satisfy (docs/language.md "Validating answers"): <see cref="Future"/>
/// is after today, <see cref="Past"/> before today (today itself is neither: write <c>min: today</c>);
/// <see cref="Weekdays"/> empty allows every day.
/// </summary>
public sealed record DateConstraints(DateBound? Min, DateBound? Max, bool Future, bool Past, ImmutableArray<DayOfWeek> Weekdays)
{
    public bool Allows(DateOnly date, DateOnly today) =>
        (Min is null || date >= Min.Resolve(today))
        && (Max is null || date <= Max.Resolve(today))
        && (!Future || date > today)
        && (!Past || date < today)
        && (Weekdays.IsDefaultOrEmpty || Weekdays.Contains(date.DayOfWeek));
}

/// <summary>An <c>ask</c>'s <c>validate</c> rule: <see cref="Must"/> (which sees the candidate as <c>value</c>) must be true, else <see cref="Message"/> (or the ask's retry) is said.</summary>
public sealed record AnswerCheck(Expression Must, Message? Message, SourceSpan Span);

/// <summary>
/// Asks for a value. An invalid answer gets <see cref="Retry"/> (which may use <c>ask.attempt</c>,
/// <c>ask.retriesLeft</c>, <c>ask.maxRetries</c>); after <see cref="MaxAttempts"/> invalid answers the
/// steps of <see cref="OnFail"/> run instead of the rest of the flow.
/// </summary>
public sealed record AskStep(
    string Id,
    string Variable,
    Message Prompt,
    Expectation Expect,
    Message? Retry,
    int MaxAttempts,
    ImmutableArray<Step> OnFail,
    SourceSpan Span) : Step(Id, Span)
{
    /// <summary>Rules a valid answer must also pass, in order; the first that fails makes the answer a retry.</summary>
    public ImmutableArray<AnswerCheck> Validate { get; init; } = [];
    /// <summary>
    /// Slot filling (docs/language.md "Slot filling"): <see cref="FillMode.Auto"/> takes a value of this ask's
    /// kind from the message that started the flow or any later one, so the ask is skipped;
    /// <see cref="FillMode.Off"/> only takes the answer to its own prompt; <see cref="FillMode.On"/> also
    /// fills yes/no asks, which <c>Auto</c> never fills (a confirmation is answered to its own question).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public FillMode Fill { get; init; }

    /// <summary>
    /// A .NET regex searched in a message to find this ask's value: the group <c>value</c> (else group 1,
    /// else the whole match) is the candidate, then validated like an answer. Lets free text be filled
    /// (<c>(?&lt;value&gt;\S+)で予約</c>).
    /// </summary>
    public string? Extract { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<FillMode>))]
public enum FillMode { Auto, On, Off }

public sealed record Argument(string Name, Template Value);

/// <summary>Calls an action with templated arguments; the result goes into a variable. On failure <see cref="OnError"/> runs (if empty, the flow continues with the variable unset).</summary>
public sealed record CallStep(string Id, string Action, ImmutableArray<Argument> With, string? Into, ImmutableArray<Step> OnError, SourceSpan Span) : Step(Id, Span);

public sealed record Assignment(string Variable, JsonElement? Literal, Template? Value, SourceSpan Span);

public sealed record SetStep(string Id, ImmutableArray<Assignment> Assignments, SourceSpan Span) : Step(Id, Span);

public sealed record IfStep(string Id, Expression Condition, ImmutableArray<Step> Then, ImmutableArray<Step> Else, SourceSpan Span) : Step(Id, Span);

/// <summary>Moves the conversation to a stage, or continues in another flow (the current flow ends), or both.</summary>
public sealed record GotoStep(string Id, string? Stage, string? Flow, SourceSpan Span) : Step(Id, Span);

public sealed record HandoffStep(string Id, string Queue, string? Reason, Message? Say, ImmutableArray<string> Offer, SourceSpan Span) : Step(Id, Span)
{
    /// <summary>Higher is served first by the agent hub (default 0).</summary>
    public int Priority { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<TicketKind>))]
public enum TicketKind { Callback, Email, Other }

/// <summary>
/// Records a contact request (call-back, e-mail, other) for the agents: the engine numbers it
/// deterministically, stores the number in <see cref="Into"/> and emits it as a ticket output the
/// agent hub keeps. <see cref="Contact"/>, <see cref="Time"/> and <see cref="Note"/> are templates.
/// </summary>
public sealed record TicketStep(
    string Id,
    // "kind" is the step discriminator in the package JSON.
    [property: JsonPropertyName("ticketKind")] TicketKind Kind,
    Template Contact,
    Template? Time,
    Template? Note,
    string? Queue,
    string? Into,
    SourceSpan Span) : Step(Id, Span);

public sealed record EndStep(string Id, Message? Say, SourceSpan Span) : Step(Id, Span);

[JsonConverter(typeof(JsonStringEnumConverter<HttpMethodKind>))]
public enum HttpMethodKind { Get, Post, Put, Patch, Delete }

public sealed record Header(string Name, Template Value);

/// <summary>An HTTP call. <see cref="Result"/> is a dotted path into the JSON response (empty: the whole body).</summary>
public sealed record HttpAction(HttpMethodKind Method, Template Url, ImmutableArray<Header> Headers, Template? Body, int TimeoutMs, int Retries, string? Result, SourceSpan Span);

/// <summary>A JavaScript function body; <see cref="Parameters"/> are its arguments (filled from <c>with</c>); it returns the result.</summary>
public sealed record ScriptAction(ImmutableArray<string> Parameters, string Source, SourceSpan Span);

public sealed record ActionDef(string Name, HttpAction? Http, ScriptAction? Script, SourceSpan Span);

/// <summary>An opening window on one weekday, in the queue's time zone. <see cref="Close"/> may be 24:00 (<c>TimeSpan.FromHours(24)</c>).</summary>
public sealed record OpeningWindow(DayOfWeek Day, TimeSpan Open, TimeSpan Close);

[JsonConverter(typeof(JsonStringEnumConverter<QueueAssignment>))]
public enum QueueAssignment { Auto, Pick }

/// <summary>A canned response agents of a queue may insert (<c>canned: [{ title, text }]</c>).</summary>
public sealed record CannedResponse(string Title, string Text, SourceSpan Span);

/// <summary>A human-agent queue. No windows means always open.</summary>
public sealed record QueueDef(string Name, string? Hours, ImmutableArray<OpeningWindow> Windows, string TimeZone, SourceSpan Span)
{
    /// <summary>How long a customer waits for an agent before the hub gives up and <c>handoff.onTimeout</c> runs; null = no limit.</summary>
    public TimeSpan? MaxWait { get; init; }

    /// <summary><c>auto</c>: the hub assigns the longest-idle agent; <c>pick</c>: agents take entries from the list.</summary>
    public QueueAssignment Assignment { get; init; }

    public ImmutableArray<CannedResponse> Canned { get; init; } = [];

    /// <summary>Whole local days the queue is closed whatever <see cref="Windows"/> say (holidays, 年末年始).</summary>
    public ImmutableArray<ClosedDates> Closed { get; init; } = [];

    /// <summary>This queue's out-of-hours answer; null falls back to <c>handoff.outOfHours</c>.</summary>
    public OutOfHours? OutOfHours { get; init; }
}

/// <summary>
/// Days a queue is closed, both ends included. <see cref="EveryYear"/>: only month and day count (the
/// dates carry the leap year 2000 so 02-29 fits), and a range whose end comes before its start runs
/// over the year end (12-29..01-03).
/// </summary>
public sealed record ClosedDates(DateOnly From, DateOnly To, bool EveryYear)
{
    public bool Contains(DateOnly date)
    {
        if (!EveryYear) return date >= From && date <= To;
        var day = (date.Month * 100) + date.Day;
        var from = (From.Month * 100) + From.Day;
        var to = (To.Month * 100) + To.Day;
        return from <= to ? day >= from && day <= to : day >= from || day <= to;
    }
}

/// <summary>A handoff rule: checked in order after each turn; the first match hands off.</summary>
public sealed record HandoffRule(string Id, string? Intent, Expression? When, string Queue, Message? Say, ImmutableArray<string> Offer, SourceSpan Span)
{
    /// <summary>Higher is served first by the agent hub (default 0).</summary>
    public int Priority { get; init; }
}

public sealed record OutOfHours(Message? Say, ImmutableArray<string> Offer, SourceSpan Span);

/// <summary>What the customer gets when no agent takes the handoff (no agent online, or <c>maxWait</c> passed): <c>handoff.onTimeout</c>.</summary>
public sealed record OnTimeout(Message? Say, ImmutableArray<string> Offer, SourceSpan Span);

/// <summary>A variable shown to the agent (and put in the handoff event's value) under <see cref="Key"/>.</summary>
public sealed record SharedValue(string Key, string Variable, SourceSpan Span);

public sealed record HandoffDef(
    ImmutableArray<QueueDef> Queues,
    ImmutableArray<HandoffRule> Rules,
    OutOfHours? OutOfHours,
    ImmutableArray<SharedValue> Share,
    Message? Say,
    SourceSpan Span)
{
    public static readonly HandoffDef Empty = new([], [], null, [], null, SourceSpan.None);

    /// <summary>The waiting notice (<c>handoff.waiting</c>); its templates also see <c>queue.position</c>, <c>queue.waitMinutes</c>, <c>queue.name</c>.</summary>
    public Message? Waiting { get; init; }

    public OnTimeout? OnTimeout { get; init; }
}

/// <summary>The whole compiled scenario.</summary>
public sealed record ScenarioModel(
    int LanguageVersion,
    string Id,
    string Version,
    string Locale,
    string? Description,
    RecognizerSettings Recognizer,
    Message? Welcome,
    Message? Fallback,
    ImmutableArray<VariableDef> Variables,
    ImmutableArray<IntentDef> Intents,
    ImmutableArray<StageDef> Journey,
    ImmutableArray<FlowDef> Flows,
    ImmutableArray<ActionDef> Actions,
    HandoffDef Handoff,
    ImmutableArray<string> SourceFiles)
{
    /// <summary>The IANA zone whose calendar dates answers are read in (<c>today</c>, 明日, dates without a year); null is UTC.</summary>
    public string? TimeZone { get; init; }
    /// <summary>The scenario's <c>vocabulary</c>: variants rewritten to their canonical term in examples, keywords and customer text alike.</summary>
    public ImmutableArray<VocabularyTerm> Vocabulary { get; init; } = [];
    /// <summary>How a customer stops a form (docs/language.md "Cancel"); null: the built-in words and message.</summary>
    public CancelDef? Cancel { get; init; }
}

/// <summary>
/// A canonical term and the words customers use for it (<c>vocabulary: { 配送: [配達, お届け] }</c>). Variants are
/// matched as keywords are (word boundaries, <c>*x*</c> for a substring) and replaced by <see cref="Term"/>.
/// </summary>
public sealed record VocabularyTerm(string Term, ImmutableArray<string> Variants, SourceSpan Span);

/// <summary>
/// Cancelling a form: while a flow waits in an ask, a message matching the built-in words (unless
/// <see cref="BuiltIn"/> is false), one of <see cref="Patterns"/> (.NET regexes searched in the folded
/// message) or recognised as <see cref="Intent"/> ends every waiting flow and sends <see cref="Say"/>
/// (else a built-in text) once.
/// </summary>
public sealed record CancelDef(bool BuiltIn, ImmutableArray<string> Patterns, string? Intent, Message? Say, SourceSpan Span)
{
    /// <summary><c>cancel: false</c>: no message cancels a form.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Disabled { get; init; }
}
