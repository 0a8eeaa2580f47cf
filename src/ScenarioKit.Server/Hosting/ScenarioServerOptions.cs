using ScenarioKit.Engine;

namespace ScenarioKit.Server.Hosting;

/// <summary>
/// Server settings. Bound from the <c>ScenarioKit</c> configuration section (appsettings.json, environment
/// variables such as <c>ScenarioKit__DirectLineSecret</c>, command line), then adjusted by the caller.
/// </summary>
public sealed class ScenarioServerOptions
{
    public const string DefaultUrl = "http://127.0.0.1:3978";

    /// <summary>Scenario folders (compiled at start), <c>.skpkg</c> files, or folders of packages.</summary>
    public IList<string> Sources { get; } = [];

    /// <summary>The scenario new conversations get when the request names none; default: the only (or first) one.</summary>
    public string? DefaultScenario { get; set; }

    public string DatabasePath { get; set; } = "scenariokit.db";

    /// <summary>Where conversations, transcripts, packages and the hub live (<c>ScenarioKit:Storage:*</c>): the SQLite file at <see cref="DatabasePath"/> (default) or a PostgreSQL several nodes share.</summary>
    public StorageSettings Storage { get; } = new();

    /// <summary>SQLite synchronous=FULL (default): a turn is on disk, not only in the OS cache, before it is acknowledged.</summary>
    public bool DurableCommits { get; set; } = true;

    /// <summary>Bot Framework app id; when set, channel JWTs are required and outgoing calls carry a token (§3).</summary>
    public string? AppId { get; set; }

    public string? AppPassword { get; set; }

    public string OpenIdMetadataUrl { get; set; } = BotFramework.Authentication.BotAuthenticationOptions.BotFrameworkMetadataUrl;

    public IList<string> ValidIssuers { get; } = [];

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool RequireEndorsements { get; set; }

    public string TokenEndpoint { get; set; } = BotFramework.Authentication.ClientCredentialsTokenProvider.DefaultTokenEndpoint;

    /// <summary>Direct Line secret; none means dev mode (any bearer accepted from loopback callers).</summary>
    public string? DirectLineSecret { get; set; }

    /// <summary>Accept non-loopback callers while authentication is off (no app id / no Direct Line secret).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>
    /// Web origins (e.g. <c>https://shop.example</c>) whose pages may call Direct Line from the browser: Web Chat
    /// embedded on a site other than this server needs CORS for Authorization, Content-Type and x-ms-bot-agent (§6).
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    public TimeSpan DirectLineTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Empty WebSocket frames keep idle Direct Line streams open through proxies (§4.2).</summary>
    public TimeSpan StreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often folders of packages are rescanned for newly deployed versions; zero disables.</summary>
    public TimeSpan PackageRescanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where handoffs go: the built-in agent hub (default) or the channel (<c>handoff.initiate</c> only).</summary>
    public HandoffSettings Handoff { get; } = new();

    /// <summary>How long stored conversations are kept (<c>ScenarioKit:Retention:*</c>, docs/server.md "Retention").</summary>
    public RetentionSettings Retention { get; } = new();

    /// <summary>Agent hub timings and session settings (<c>ScenarioKit:Hub:*</c>).</summary>
    public Hub.HubOptions Hub { get; } = new();

    internal bool HubEnabled => Handoff.Mode == HandoffMode.Hub;

    /// <summary>
    /// Actions answered by mocks instead of being called (<c>serve --mock/--mocks</c>): a demo or a playground
    /// trial against a shop API that is not there. The server logs them at start and the playground says so.
    /// None (the default) in production.
    /// </summary>
    public ActionMocks? Mocks { get; set; }

    internal bool AuthenticationEnabled => !string.IsNullOrEmpty(AppId);
}

public enum StorageProvider
{
    /// <summary>One embedded SQLite file (<see cref="ScenarioServerOptions.DatabasePath"/>): zero setup, one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (<see cref="StorageSettings.ConnectionString"/>) shared by any number of nodes.</summary>
    Postgres,
}

public sealed class StorageSettings
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The Npgsql connection string when <see cref="Provider"/> is <see cref="StorageProvider.Postgres"/>, e.g. <c>Host=db;Database=scenariokit;Username=bot;Password=…</c>.</summary>
    public string? ConnectionString { get; set; }
}

public enum HandoffMode
{
    /// <summary>Handoffs land in the built-in agent hub: queue, console at /agent.</summary>
    Hub,

    /// <summary>The channel handles <c>handoff.initiate</c>/<c>handoff.status</c> (Bot Framework; e.g. Omnichannel).</summary>
    Channel,
}

public sealed class HandoffSettings
{
    public HandoffMode Mode { get; set; } = HandoffMode.Hub;
}

/// <summary>
/// Retention: the full Bot Framework JSON of every activity is kept only as long as a Direct Line client may replay it
/// or a handoff may carry it as the transcript; the compact turn log (<c>TurnSummary</c>) is what transcripts and
/// analytics keep long-term. A background pass deletes what is older, in small steps beside the turns. Zero keeps forever.
/// </summary>
public sealed class RetentionSettings
{
    /// <summary>The activities of a conversation idle this long are deleted (its state and turn log stay).</summary>
    public TimeSpan ActivityJson { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Turn-log rows older than this, and conversations idle this long (with everything they hold), are deleted.</summary>
    public TimeSpan Transcripts { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the expiry pass runs (the first at start); zero turns the background pass off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Mocked actions: their names (every one must be an action of a served scenario) and how to put the mocks in
/// front of the real invoker, which <see cref="Wrap"/> receives and calls for every action it does not mock.
/// </summary>
public sealed record ActionMocks(IReadOnlyList<string> Actions, Func<IActionInvoker, IActionInvoker> Wrap);
