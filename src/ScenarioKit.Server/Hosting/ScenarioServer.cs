using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScenarioKit.BotFramework.Authentication;
using ScenarioKit.BotFramework.Connector;
using ScenarioKit.BotFramework.DirectLine;
using ScenarioKit.Engine;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Server.Agent;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Server.DirectLine;
using ScenarioKit.Server.Endpoints;
using ScenarioKit.Storage;
using ScenarioKit.Storage.PostgreSql;

namespace ScenarioKit.Server.Hosting;

/// <summary>
/// The ScenarioKit Bot Framework server: <c>/api/messages</c>, Direct Line 3.0, the Web Chat playground,
/// health and metrics. Used by <c>scenariokit serve</c> and by tests (bind <c>http://127.0.0.1:0</c> and read
/// <see cref="Urls"/>). Listens on http://127.0.0.1:3978 unless <c>--urls</c>, <c>ASPNETCORE_URLS</c> or
/// configuration say otherwise.
/// </summary>
public sealed class ScenarioServer : IAsyncDisposable
{
    readonly WebApplication _app;

    readonly IReadOnlyList<ScenarioKit.Model.ScenarioPackage> _packages;

    /// <summary>Set once the host has started; until then its own log lines are held back (see the filter in Create).</summary>
    readonly StrongBox<bool> _hostStarted;

    ScenarioServer(WebApplication app, ScenarioServerOptions options, IReadOnlyList<ScenarioKit.Model.ScenarioPackage> packages, StrongBox<bool> hostStarted)
    {
        _app = app;
        Options = options;
        _packages = packages;
        _hostStarted = hostStarted;
    }

    public ScenarioServerOptions Options { get; }

    const string DirectLineCorsPolicy = "DirectLine";

    internal IServiceProvider Services => _app.Services;

    /// <summary>The addresses Kestrel was told to bind (before start; <see cref="Urls"/> has the bound ones).</summary>
    internal string? ConfiguredUrls => _app.Configuration[WebHostDefaults.ServerUrlsKey];

    /// <summary>
    /// Builds a server. <paramref name="args"/> are ASP.NET Core host arguments (<c>--urls</c>, <c>--ScenarioKit:DirectLineSecret=…</c>);
    /// <paramref name="configure"/> runs after configuration binding, so explicit settings win.
    /// </summary>
    /// <exception cref="ScenarioSourceException">A source does not exist, does not compile, or is not a valid package.</exception>
    /// <exception cref="StorageStartupException">The storage settings cannot be used (e.g. postgres without a connection string).</exception>
    public static ScenarioServer Create(string[] args, Action<ScenarioServerOptions>? configure = null) =>
        Create(args, configure, configureServices: null, bots: null);

    /// <summary>
    /// The options <c>serve</c> would start with, from the same configuration sources (./appsettings.json,
    /// environment variables such as <c>ScenarioKit__DatabasePath</c>, <paramref name="args"/>), without building a
    /// host: <c>scenariokit agents</c> reads <see cref="ScenarioServerOptions.DatabasePath"/> here so both act on one file.
    /// </summary>
    public static ScenarioServerOptions ReadOptions(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        using var configuration = builder.Configuration;
        return BindOptions(configuration);
    }

    /// <exception cref="ServerSettingsException">A ScenarioKit setting has a value of the wrong kind (a provider that does not exist, a size that is not a number).</exception>
    static ScenarioServerOptions BindOptions(IConfiguration configuration)
    {
        var options = new ScenarioServerOptions();
        try
        {
            configuration.GetSection("ScenarioKit").Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw ServerSettingsException.From(e);
        }
        // The Bot Framework's conventional setting names work too.
        options.AppId ??= NullIfEmpty(configuration["MicrosoftAppId"]);
        options.AppPassword ??= NullIfEmpty(configuration["MicrosoftAppPassword"]);
        return options;
    }

    internal static ScenarioServer Create(string[] args, Action<ScenarioServerOptions>? configure, Action<IServiceCollection>? configureServices, IEnumerable<IScenarioBot>? bots)
    {
        // The content root stays the working directory, so `serve` reads ./appsettings.json as ASP.NET Core users expect.
        // Not watched for changes (the options are read once, at start): the watcher covers the content root and every
        // folder below it, where the database lives by default, so it woke up for every write of every turn (≈ 7 % of
        // a turn's CPU, docs/performance.md). An operator may still turn it on with --hostBuilder:reloadConfigOnChange=true.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args] });
        var options = BindOptions(builder.Configuration);
        configure?.Invoke(options);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(ScenarioServerOptions.DefaultUrl);
        else
            ListenAddresses.Check(builder.Configuration[WebHostDefaults.ServerUrlsKey]!);
        // A start that fails (a port in use, a hosted service that throws) reaches the caller as an exception, which serve
        // reports in one line; the host would first log it with its stack trace, and every background service stopped
        // with it. Its lines are held back until it has started, unless the operator configured the category.
        var hostStarted = new StrongBox<bool>();
        if (builder.Configuration["Logging:LogLevel:Microsoft.Extensions.Hosting"] is null)
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => hostStarted.Value && level >= LogLevel.Information);
        // ASP.NET Core logs every request at Information; at thousands of turns a second that is the
        // bottleneck. Keep it at Warning unless the operator configured the category.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            // Hosting starts a System.Diagnostics.Activity for every request (W3C ids, a traceparent parsed, Activity.Current
            // set and reset) whenever its diagnostics logger is enabled at any level, only to give log scopes an id; that
            // logger writes request start/finish (Information) and start-up failures (which reach `serve` as exceptions
            // anyway). Off unless the operator configured it or Microsoft.AspNetCore: ≈ 1 % of a turn's CPU
            // (docs/performance.md, "Session 5"). A tracing listener (ActivitySource) still gets its activities.
            if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] is null)
                builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
        // The console's session keys are kept unencrypted beside the database on purpose (docs/agent-hub.md, Security:
        // protect that folder like the database); the framework warns about it at every first start.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] is null)
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBodyBytes, 1024 * 1024);
        });

        // Compile and read every source now, so a broken scenario stops `serve` before it listens.
        var packages = options.Sources.SelectMany(ScenarioSources.Load).ToList();
        if (packages.Count == 0 && bots is null)
            throw new ScenarioSourceException("No scenario to serve: give a scenario folder, a .skpkg package or a folder of packages.");
        CheckMockedActions(options.Mocks, packages);
        var catalog = new ScenarioCatalog { DefaultScenarioId = options.DefaultScenario };
        foreach (var bot in bots ?? []) catalog.Deploy(bot);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(catalog);
        services.AddSingleton(TimeProvider.System);
        ServerStorage.Add(services, options);
        services.AddHostedService<RetentionService>();
        services.AddSingleton<IActionInvoker>(sp =>
        {
            IActionInvoker real = new DefaultActionInvoker(sp.GetRequiredService<IHttpClientFactory>().CreateClient("actions"), sp.GetRequiredService<TimeProvider>());
            return options.Mocks is { } mocks ? mocks.Wrap(real) : real;
        });
        services.AddSingleton<PackageDeployer>();
        services.AddHostedService<PackageFolderWatcher>();
        services.AddSingleton<ConversationLocks>();
        services.AddSingleton<ConversationFeed>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ConversationService>();
        if (options.HubEnabled) AddHub(services, options);
        services.AddHttpClient();
        services.AddCors(cors => cors.AddPolicy(DirectLineCorsPolicy, policy =>
        {
            if (options.AllowedOrigins.Count > 0)
                policy.WithOrigins([.. options.AllowedOrigins]).WithHeaders("authorization", "content-type", "x-ms-bot-agent").WithMethods("GET", "POST");
        }));
        services.AddHttpClient("connector", c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient("connector");
            IAccessTokenProvider? tokens = options.AuthenticationEnabled
                ? new ClientCredentialsTokenProvider(http, options.AppId!, options.AppPassword ?? "", sp.GetRequiredService<TimeProvider>(), options.TokenEndpoint)
                : null;
            return new ConnectorClient(http, tokens);
        });
        if (options.AuthenticationEnabled)
        {
            services.AddSingleton(sp => new BotFrameworkAuthenticator(
                new BotAuthenticationOptions
                {
                    AppId = options.AppId!,
                    MetadataUrl = options.OpenIdMetadataUrl,
                    ValidIssuers = options.ValidIssuers.Count > 0 ? [.. options.ValidIssuers] : [BotAuthenticationOptions.BotFrameworkIssuer],
                    RequireHttpsMetadata = options.RequireHttpsMetadata,
                    RequireEndorsements = options.RequireEndorsements,
                },
                sp.GetRequiredService<IHttpClientFactory>().CreateClient("openid"),
                sp.GetRequiredService<TimeProvider>()));
        }
        services.AddSingleton(sp => new BotMessagesEndpoint(
            sp.GetRequiredService<ConversationService>(), options, sp.GetRequiredService<ConnectorClient>(),
            sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<ILogger<BotMessagesEndpoint>>(),
            options.AuthenticationEnabled ? sp.GetRequiredService<BotFrameworkAuthenticator>() : null));
        services.AddSingleton<IMessagesEndpoint>(sp => sp.GetRequiredService<BotMessagesEndpoint>());
        services.AddSingleton(sp =>
        {
            // Tokens are signed with a key derived from the secret, so they survive restarts; in dev mode
            // (no secret) a per-process key is enough because any bearer is accepted from loopback anyway.
            var material = string.IsNullOrEmpty(options.DirectLineSecret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(options.DirectLineSecret);
            if (material.Length < 16) throw new ScenarioSourceException("ScenarioKit:DirectLineSecret must be at least 16 characters.");
            return new DirectLineTokens(material, sp.GetRequiredService<TimeProvider>(), options.DirectLineTokenLifetime);
        });
        services.AddSingleton<DirectLineEndpoints>();
        configureServices?.Invoke(services);

        var app = builder.Build();
        // Last line of defence for every endpoint (also the minimal-API ones, and in the Development
        // environment, where ASP.NET Core would otherwise show its exception page): log the exception,
        // answer a short stable reason. Issue 10: error bodies never carry exception text.
        var faults = app.Services.GetRequiredService<ILogger<ScenarioServer>>();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                faults.LogError(e, "Request {Method} {Path} failed.", context.Request.Method, context.Request.Path.Value);
                await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalError", "The server failed to handle the request.");
            }
        });
        // /api/messages (the Bot Connector, server to server) has no CORS policy and takes no WebSocket, so neither middleware
        // runs for it: each cost every turn allocations of its own (the CORS policy provider resolved in a request scope,
        // the WebSocket handshake feature; docs/performance.md, "Session 9").
        app.UseWhen(context => !IsMessagesPath(context.Request.Path), other =>
        {
            other.UseCors();
            other.UseWebSockets();
        });
        if (options.HubEnabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseRateLimiter();
            AgentAuth.Map(app);
            AgentPageEndpoints.Map(app);
            AgentApiEndpoints.Map(app);
            InsightEndpoint.Map(app);
            app.MapHub<AgentConsoleHub>("/agent/hub");
        }
        var messages = app.Services.GetRequiredService<IMessagesEndpoint>();
        app.Map("/api/messages", context => messages.HandleAsync(context, null));
        app.Map("/api/{scenarioId}/messages", context => messages.HandleAsync(context, (string?)context.Request.RouteValues["scenarioId"]));
        var directLine = app.Services.GetRequiredService<DirectLineEndpoints>();
        directLine.Map(app).RequireCors(DirectLineCorsPolicy);
        PlaygroundEndpoints.Map(app, catalog, directLine, options.Mocks?.Actions ?? []);
        HealthEndpoints.Map(app);
        return new ScenarioServer(app, options, packages, hostStarted);
    }

    /// <summary><c>/api/messages</c> or <c>/api/{scenarioId}/messages</c>, as routed below.</summary>
    internal static bool IsMessagesPath(PathString path)
    {
        const string Messages = "/messages";
        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase, out var rest) || rest.Value is not { } r) return false;
        if (!r.EndsWith(Messages, StringComparison.OrdinalIgnoreCase)) return false;
        // Nothing or one segment (the scenario id) between /api and /messages.
        var slash = r.IndexOf('/', 1);
        return slash == -1 ? r.Length == Messages.Length : slash == r.Length - Messages.Length;
    }

    /// <summary>Loads the packages into the engine and starts listening; <see cref="Urls"/> then holds the bound addresses (with real ports when 0 was asked for).</summary>
    /// <exception cref="ScenarioSourceException">The engine cannot run a package.</exception>
    /// <exception cref="StorageStartupException">The configured database cannot be reached or migrated.</exception>
    /// <exception cref="ListenAddressException">Another program listens on a configured address.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await ServerStorage.MigrateAsync(_app.Services, cancellationToken);
        if (Options.HubEnabled) await AgentAuth.PrepareKeysAsync(_app.Services, cancellationToken);
        var deployer = _app.Services.GetRequiredService<PackageDeployer>();
        foreach (var package in _packages) await deployer.DeployAsync(package, cancellationToken);
        if (Options.Mocks is { Actions.Count: > 0 } mocks)
            _app.Services.GetRequiredService<ILogger<ScenarioServer>>().LogWarning(
                "Mocked actions, answered without calling them: {Actions}. For demos and trials; production runs without --mock/--mocks.",
                string.Join(", ", mocks.Actions));
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new ListenAddressException(
                $"{e.Message} Stop the program that listens there, or give another address with --urls (for example --urls http://127.0.0.1:3979).");
        }
        _hostStarted.Value = true;
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> fires or the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        try
        {
            await _app.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.StopAsync(CancellationToken.None);
    }

    public IReadOnlyList<Uri> Urls =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => new Uri(a))];

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
    }

    /// <summary>The built-in agent hub (issue 9): its store shares the conversation database; the observer feeds it turns.</summary>
    static void AddHub(IServiceCollection services, ScenarioServerOptions options)
    {
        services.AddSingleton(options.Hub);
        // synchronous=NORMAL for the hub's own writes even with DurableCommits: each was an fsync (≈ 6 ms here) taken under
        // the hub's one gate, which capped the hub at ~10 chats/s (docs/performance.md, "Agent hub"). In WAL mode a NORMAL
        // commit survives a process crash (kill -9); against power loss, the next FULL commit of any conversation turn
        // syncs the shared WAL with it, every hub action that reaches the customer runs such a turn after its write, and
        // a handoff whose entry was lost is queued again on start from the logged handoff.initiate (HubClock).
        services.AddSingleton(_ => ServerStorage.OpenHubStore(options));
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<ServerConversationGateway>();
        services.AddSingleton<IConversationGateway>(sp => sp.GetRequiredService<ServerConversationGateway>());
        services.AddSingleton<SignalRHubNotifier>();
        services.AddSingleton<HubService>();
        if (options.Storage.Provider == StorageProvider.Postgres)
        {
            // Several nodes share one hub: the leader runs it, the others forward to it, pushes reach every node (docs/deploy.md).
            services.AddSingleton<IHubBus>(sp => new PostgresHubBus(sp.GetRequiredService<PostgresConversationStore>().DataSource, sp.GetRequiredService<ILogger<PostgresHubBus>>()));
            services.AddSingleton(sp => new RelayHubNotifier(sp.GetRequiredService<IHubBus>(), sp.GetRequiredService<SignalRHubNotifier>(), sp.GetRequiredService<ILogger<RelayHubNotifier>>()));
            services.AddSingleton<IHubNotifier>(sp => sp.GetRequiredService<RelayHubNotifier>());
            services.AddSingleton<HubClient>();
            services.AddSingleton<HubNode>();
            services.AddSingleton<IHubOperations>(sp => sp.GetRequiredService<HubNode>());
            services.AddSingleton<IConsolePresence>(sp => sp.GetRequiredService<HubNode>());
        }
        else
        {
            services.AddSingleton<IHubNotifier>(sp => sp.GetRequiredService<SignalRHubNotifier>());
            services.AddSingleton<IHubOperations>(sp => sp.GetRequiredService<HubService>());
            services.AddSingleton<IConsolePresence>(sp => sp.GetRequiredService<HubService>());
        }
        services.AddSingleton<Engine.IHandoffQueue, HubQueueStatus>();
        services.AddSingleton<HubConversationObserver>();
        services.AddSingleton<IConversationObserver>(sp => sp.GetRequiredService<HubConversationObserver>());
        services.AddHostedService(sp => sp.GetRequiredService<HubConversationObserver>());
        services.AddHostedService<HubClock>();
        services.AddSignalR();
        AgentAuth.AddServices(services, options);
    }

    /// <summary>A mock for an action no served scenario has is a typo: it would silently mock nothing.</summary>
    static void CheckMockedActions(ActionMocks? mocks, IReadOnlyList<ScenarioKit.Model.ScenarioPackage> packages)
    {
        if (mocks is null || packages.Count == 0) return;
        var known = packages.SelectMany(p => p.Model.Actions).Select(a => a.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var unknown = mocks.Actions.Where(a => !known.Contains(a)).ToList();
        if (unknown.Count == 0) return;
        var actions = known.Count == 0 ? "the served scenarios have no actions" : "their actions are " + string.Join(", ", known);
        throw new ScenarioSourceException($"Cannot mock {string.Join(", ", unknown.Select(a => $"'{a}'"))}: no served scenario has such an action; {actions}.");
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

/// <summary>A scenario source could not be loaded; the message names the file (and the diagnostics, for a scenario folder).</summary>
public sealed class ScenarioSourceException(string message) : Exception(message);

/// <summary>A setting (appsettings.json, a <c>ScenarioKit__…</c> variable or a <c>--ScenarioKit:…</c> flag) cannot be read; the message names it and what it accepts.</summary>
public sealed partial class ServerSettingsException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>
    /// From the configuration binder's failure, whose message is "Failed to convert configuration value 'v' at 'path'
    /// to type 't'.": the setting, its value and what it accepts (an enum's names). Any other message is kept as it is.
    /// </summary>
    internal static ServerSettingsException From(InvalidOperationException e)
    {
        if (ConversionFailure().Match(e.Message) is not { Success: true } m) return new ServerSettingsException(e.Message, e);
        var (value, path, typeName) = (m.Groups["value"].Value, m.Groups["path"].Value, m.Groups["type"].Value);
        var type = typeof(ScenarioServerOptions).Assembly.GetType(typeName) ?? Type.GetType(typeName);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var expected = type switch
        {
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(TimeSpan) => "a time span such as 00:30:00",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ => "a value of type " + (type?.Name ?? typeName),
        };
        return new ServerSettingsException($"The setting {path} is '{value}'; it must be {expected}.", e);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'\.$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex ConversionFailure();
}
