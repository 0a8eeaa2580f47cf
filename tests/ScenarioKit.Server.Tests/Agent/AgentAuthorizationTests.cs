using System.Net;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Server.Agent;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Agent;

/// <summary>
/// Issue 9, security: every hub endpoint against anonymous callers, a customer's Direct Line token, an agent of
/// another queue, an agent, a supervisor and an admin; anti-forgery; brute-force sign-in.
/// </summary>
public sealed class AgentAuthorizationTests
{
    const string Password = "correct-horse-battery";

    static readonly string[] ReadEndpoints = ["/agent/api/me", "/agent/api/snapshot", "/agent/api/tickets", "/agent/api/live", "/agent/api/audit", "/agent/api/antiforgery"];

    [Fact]
    public async Task Every_hub_endpoint_answers_each_role_as_it_may()
    {
        await using var server = await HubFlowTests.StartAsync(configure: o => o.Hub.LoginAttemptsPerMinute = 1000);
        var directory = server.Service<AgentDirectory>();
        await directory.AddAsync("sato", "Sato", AgentRole.Agent, ["support"], Password, "test");
        await directory.AddAsync("kato", "Kato", AgentRole.Agent, ["billing"], Password, "test");
        await directory.AddAsync("boss", "Boss", AgentRole.Supervisor, [], Password, "test");
        await directory.AddAsync("root", "Root", AgentRole.Admin, [], Password, "test");

        // A waiting customer in queue support.
        var customer = await HubFlowTests.Customer.StartAsync(server);
        var hub = server.Service<HubService>();
        var sato = (await directory.FindAsync("sato"))!;
        await hub.ConnectedAsync(sato, CancellationToken.None);
        await hub.SetStatusAsync(sato, AgentStatus.Online, CancellationToken.None);
        await customer.SayAsync("talk to a human");
        var entry = await HubFlowTests.WaitForEntryAsync(server, sato);

        // Anonymous and a customer's Direct Line token: 401 everywhere, the hub's negotiate included.
        using var anonymous = AgentSession.Anonymous(server.BaseAddress);
        foreach (var path in ReadEndpoints.Append($"/agent/api/entries/{entry.Id}"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/agent/api/entries/{entry.Id}/accept", withCsrf: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/agent/hub/negotiate?negotiateVersion=1", withCsrf: false)).StatusCode);
        anonymous.Http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + customer.Token);
        foreach (var path in ReadEndpoints)
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/agent/hub/negotiate?negotiateVersion=1", withCsrf: false)).StatusCode);
        // The console page sends a stranger to the sign-in form.
        using (var page = await AgentSession.Anonymous(server.BaseAddress).GetAsync("/agent"))
            Assert.StartsWith("/agent/login", page.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var (kato, _) = await AgentSession.SignInAsync(server.BaseAddress, "kato", Password);
        var (satoSession, location) = await AgentSession.SignInAsync(server.BaseAddress, "sato", Password);
        var (boss, _) = await AgentSession.SignInAsync(server.BaseAddress, "boss", Password);
        var (root, _) = await AgentSession.SignInAsync(server.BaseAddress, "root", Password);
        Assert.Equal("/agent", location);

        // An agent of another queue neither sees nor takes the entry.
        Assert.Equal(HttpStatusCode.Forbidden, (await kato.GetAsync($"/agent/api/entries/{entry.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kato.PostAsync($"/agent/api/entries/{entry.Id}/accept")).StatusCode);
        Assert.Empty((await kato.GetJsonAsync("/agent/api/snapshot")).GetProperty("entries").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await kato.GetAsync("/agent/api/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kato.GetAsync("/agent/api/audit")).StatusCode);

        // The agent of the queue: a POST without the anti-forgery header is refused and changes nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await satoSession.PostAsync($"/agent/api/entries/{entry.Id}/accept", withCsrf: false)).StatusCode);
        Assert.Equal(EntryStatus.Offered, hub.FindOpen(entry.ConversationKey)!.Status);
        Assert.Equal("sato", (await satoSession.GetJsonAsync("/agent/api/me")).GetProperty("login").GetString());
        await satoSession.PostJsonAsync($"/agent/api/entries/{entry.Id}/accept");
        Assert.Equal(HttpStatusCode.NoContent, (await satoSession.PostAsync($"/agent/api/entries/{entry.Id}/messages", new { text = "Hello from Sato" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await satoSession.GetAsync("/agent/api/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await satoSession.PostAsync($"/agent/api/entries/{entry.Id}/takeover")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await satoSession.PostAsync($"/agent/api/entries/{entry.Id}/monitor")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await satoSession.PostAsync($"/agent/api/entries/{entry.Id}/notes", new { text = "psst", whisper = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await satoSession.GetAsync("/agent/api/audit")).StatusCode);
        // Another agent cannot write into Sato's chat.
        Assert.Equal(HttpStatusCode.Forbidden, (await kato.PostAsync($"/agent/api/entries/{entry.Id}/messages", new { text = "hijack" })).StatusCode);

        // A supervisor sees the floor, monitors, whispers, but reads no audit; an admin reads it.
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/agent/api/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.PostAsync($"/agent/api/entries/{entry.Id}/monitor")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.PostAsync($"/agent/api/entries/{entry.Id}/notes", new { text = "offer the coupon", whisper = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await boss.GetAsync("/agent/api/audit")).StatusCode);
        var audit = await root.GetJsonAsync("/agent/api/audit?limit=500");
        var actions = audit.EnumerateArray().Select(a => (a.GetProperty("actor").GetString(), a.GetProperty("action").GetString())).ToList();
        Assert.Contains(("sato", "accept"), actions);
        Assert.Contains(("sato", "message"), actions);
        Assert.Contains(("boss", "monitor"), actions);
        Assert.Contains(("boss", "whisper"), actions);
        Assert.Contains(("kato", "login"), actions);

        // Disabling the account ends its session at the next request.
        await directory.SetDisabledAsync("kato", true, "test");
        Assert.Equal(HttpStatusCode.Unauthorized, (await kato.GetAsync("/agent/api/me")).StatusCode);
        kato.Dispose();
        satoSession.Dispose();
        boss.Dispose();
        root.Dispose();
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_and_a_flood_of_attempts_is_rate_limited()
    {
        await using var server = await HubFlowTests.StartAsync(configure: o => o.Hub.LoginAttemptsPerMinute = 8);
        await server.Service<AgentDirectory>().AddAsync("sato", "Sato", AgentRole.Agent, ["support"], Password, "test");
        using var session = AgentSession.Anonymous(server.BaseAddress);
        for (var i = 0; i < AgentDirectory.MaxFailedLogins; i++)
            Assert.StartsWith("/agent/login?error=", await session.PostLoginAsync("sato", "wrong-password-" + i), StringComparison.Ordinal);
        // Locked: even the right password is refused now.
        Assert.StartsWith("/agent/login?error=locked", await session.PostLoginAsync("sato", Password), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/agent/api/me")).StatusCode);
        // The address has used 6 of its 8 attempts this minute; the 9th is refused before any password check.
        await session.PostLoginRawAsync("sato", "x");
        await session.PostLoginRawAsync("sato", "x");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await session.PostLoginRawAsync("sato", Password)).StatusCode);
    }
}
