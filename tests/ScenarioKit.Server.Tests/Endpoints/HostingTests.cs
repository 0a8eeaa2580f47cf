using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Server.Endpoints;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Endpoints;

public sealed class HostingTests
{
    [Fact]
    public async Task Without_an_app_id_only_loopback_callers_are_served_unless_remote_is_allowed()
    {
        await using var server = await TestServer.StartAsync();
        var endpoint = server.Server.Services.GetRequiredService<BotMessagesEndpoint>();
        var context = RemoteRequest(Reference.UserActivity("remote", 0));
        await endpoint.HandleAsync(context, null);
        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Contains("loopback", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), StringComparison.Ordinal);

        await using var open = await TestServer.StartAsync(configure: o => o.AllowRemote = true);
        var allowed = RemoteRequest(Reference.UserActivity("remote", 0));
        allowed.RequestServices = open.Server.Services;
        await open.Server.Services.GetRequiredService<BotMessagesEndpoint>().HandleAsync(allowed, null);
        Assert.Equal(StatusCodes.Status200OK, allowed.Response.StatusCode);
    }

    [Theory]
    [InlineData("/api/messages", true)]
    [InlineData("/API/Messages", true)]
    [InlineData("/api/retail-support/messages", true)]
    [InlineData("/api/scenarios", false)]
    [InlineData("/api/a/b/messages", false)]
    [InlineData("/api/xmessages", false)]
    [InlineData("/v3/directline/conversations/c/activities", false)]
    [InlineData("/agent/hub", false)]
    [InlineData("/", false)]
    public void Only_the_Bot_Connector_paths_skip_the_CORS_and_WebSocket_middlewares(string path, bool messages) =>
        // Issue 14 (docs/performance.md, "Session 9"): Direct Line (CORS, its stream) and the agent hub (WebSockets) keep both.
        Assert.Equal(messages, ScenarioServer.IsMessagesPath(new PathString(path)));

    [Theory]
    [InlineData("http://127.0.0.1:397B", "the port '397B'")]
    [InlineData("http://127.0.0.1:99999", "the port '99999'")]
    [InlineData("127.0.0.1:3978", "no scheme")]
    [InlineData("ftp://127.0.0.1:21", "the scheme 'ftp'")]
    [InlineData("http://::1:3978", "IPv6 address goes in brackets")]
    [InlineData("http://[::1:3978", "without its closing ]")]
    [InlineData("http://:3978", "no host")]
    [InlineData("http://127.0.0.1:0;http://localhost:80x", "the port '80x'")]
    public void A_listen_address_Kestrel_would_misread_is_refused_before_anything_binds(string urls, string problem)
    {
        // Kestrel reads a port that is not a number as part of the host, and a host it cannot resolve as every interface:
        // http://127.0.0.1:397B listened on port 80 of every interface.
        var e = Assert.Throws<ListenAddressException>(() => ScenarioServer.Create(["--urls", urls], o => o.Sources.Add("unused")));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:3978", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("https://0.0.0.0:443")]
    [InlineData("http://localhost:3978")]
    [InlineData("http://*:3978;http://+:3979")]
    [InlineData("http://[::1]:3978")]
    [InlineData("HTTP://[::]")]
    [InlineData("http://support.example:3978/")]
    [InlineData("http://unix:/run/scenariokit.sock")]
    public void Every_address_form_Kestrel_binds_as_written_passes_the_check(string urls) => ListenAddresses.Check(urls);

    [Theory]
    [InlineData("--ScenarioKit:Storage:Provider=mysql", "The setting ScenarioKit:Storage:Provider is 'mysql'; it must be one of sqlite, postgres.")]
    [InlineData("--ScenarioKit:MaxRequestBodyBytes=256KB", "The setting ScenarioKit:MaxRequestBodyBytes is '256KB'; it must be a whole number.")]
    [InlineData("--ScenarioKit:StreamKeepAlive=15秒", "The setting ScenarioKit:StreamKeepAlive is '15秒'; it must be a time span such as 00:30:00.")]
    [InlineData("--ScenarioKit:AllowRemote=yes", "The setting ScenarioKit:AllowRemote is 'yes'; it must be true or false.")]
    public void A_setting_of_the_wrong_kind_is_named_with_what_it_accepts(string setting, string message)
    {
        // The configuration binder's own failure is an InvalidOperationException that reached serve as a stack trace.
        var e = Assert.Throws<ServerSettingsException>(() => ScenarioServer.Create(["--urls", "http://127.0.0.1:0", setting]));
        Assert.Equal(message, e.Message);
        Assert.Equal(message, Assert.Throws<ServerSettingsException>(() => ScenarioServer.ReadOptions([setting])).Message);
    }

    [Fact]
    public async Task A_second_server_on_an_address_in_use_fails_with_one_message_naming_it()
    {
        await using var first = await TestServer.StartAsync();
        var taken = first.BaseAddress.ToString().TrimEnd('/');

        var e = await Assert.ThrowsAsync<ListenAddressException>(() => TestServer.StartAsync(args: ["--urls", taken]));

        Assert.Contains(taken, e.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", e.Message, StringComparison.Ordinal);
        Assert.Contains("--urls", e.Message, StringComparison.Ordinal);
    }

    static DefaultHttpContext RemoteRequest(string json)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Response.Body = new MemoryStream();
        return context;
    }

    [Fact]
    public async Task Appsettings_is_read_once_unless_the_operator_asks_for_reloading()
    {
        // A watched appsettings.json puts a recursive watcher on the working folder, which holds the database by
        // default: every turn's write would wake it (docs/performance.md, "Quiet re-run after the session-4 merge").
        static IEnumerable<bool> Reloading(TestServer server) =>
            ((IConfigurationRoot)server.Server.Services.GetRequiredService<IConfiguration>()).Providers
                .OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>().Select(p => p.Source.ReloadOnChange);

        await using var server = await TestServer.StartAsync();
        var sources = Reloading(server).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, Assert.False);

        await using var watching = await TestServer.StartAsync(args: ["--hostBuilder:reloadConfigOnChange=true"]);
        Assert.Contains(true, Reloading(watching));
    }

    [Fact]
    public async Task Health_readiness_and_metrics_answer()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("ok\n", await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ready\n", await server.Http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("m", 0, text: "blah"));
        using var metrics = await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE scenariokit_turn_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("scenariokit_fallbacks_total{scenario=\"reference-support\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("scenariokit_turn_duration_seconds_bucket{scenario=\"reference-support\",le=\"+Inf\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_playground_page_and_its_Web_Chat_bundle_come_from_the_server()
    {
        await using var server = await TestServer.StartAsync();
        using var page = await server.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"webchat.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("プレイグラウンド", html, StringComparison.Ordinal);
        using var bundle = await server.Http.GetAsync(new Uri("/webchat.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal(3_891_526, (await bundle.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task The_default_address_is_127_0_0_1_3978_and_urls_override_it()
    {
        var db = Path.Combine(TempDirectory.Create(), "d.db");
        await using var byDefault = ScenarioServer.Create([], o => { o.DatabasePath = db; o.Sources.Add(Repo.ReferenceScenario); });
        Assert.Equal(ScenarioServerOptions.DefaultUrl, byDefault.ConfiguredUrls);
        await using var configured = ScenarioServer.Create(["--urls", "http://127.0.0.1:0"], o => { o.DatabasePath = db + "2"; o.Sources.Add(Repo.ReferenceScenario); });
        await configured.StartAsync();
        Assert.NotEqual(0, configured.Urls.Single().Port);
        await configured.StopAsync();
    }

    [Fact]
    public async Task Settings_come_from_the_command_line_and_the_Bot_Framework_names()
    {
        var db = Path.Combine(TempDirectory.Create(), "s.db");
        await using var server = ScenarioServer.Create(
            ["--ScenarioKit:DirectLineSecret=from-the-command-line-0123456789", "--ScenarioKit:MaxRequestBodyBytes=1000", "--ScenarioKit:AllowRemote=true", "--MicrosoftAppId=app-from-args", $"--ScenarioKit:DatabasePath={db}"],
            o => o.Sources.Add(Repo.ReferenceScenario));
        Assert.Equal("from-the-command-line-0123456789", server.Options.DirectLineSecret);
        Assert.Equal(1000, server.Options.MaxRequestBodyBytes);
        Assert.True(server.Options.AllowRemote);
        Assert.Equal("app-from-args", server.Options.AppId);
        Assert.Equal(db, server.Options.DatabasePath);
    }

    [Fact]
    public void A_scenario_that_does_not_compile_stops_the_server_with_its_diagnostics()
    {
        var folder = TempDirectory.Create();
        File.WriteAllText(Path.Combine(folder, "scenario.yaml"), "scenarioKit: 1\nid: broken\nflows: [\n");
        var e = Assert.Throws<ScenarioSourceException>(() => ScenarioServer.Create(["--urls", "http://127.0.0.1:0"], o => o.Sources.Add(folder)));
        Assert.Contains("does not compile", e.Message, StringComparison.Ordinal);
        Assert.Contains("scenario.yaml(", e.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ScenarioSourceException>(() => ScenarioServer.Create([], o => o.Sources.Add(Path.Combine(folder, "nope.skpkg"))));
        Assert.Contains("no such file", missing.Message, StringComparison.Ordinal);
    }
}
