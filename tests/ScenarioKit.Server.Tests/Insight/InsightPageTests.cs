using System.Net;
using Microsoft.Playwright;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Server.Tests.Agent;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Insight;

/// <summary>
/// <c>/insight</c>: the report over the server's own store, for supervisors and admins only, under a strict CSP; opened
/// in real Chromium it renders Japanese (no tofu) and requests nothing. Screenshot in TestResults/artifacts/insight/.
/// </summary>
public sealed class InsightPageTests
{
    const string ChromiumPath = "/usr/lib/chromium/chromium";
    const string Password = "insight-password-2026";

    static async Task<TestServer> StartWithConversationsAsync()
    {
        var server = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(Path.Combine(Repo.Root, "scenarios", "retail-support")));
        var accounts = server.Service<AgentDirectory>();
        await accounts.AddAsync("tanaka", "田中 花子", AgentRole.Agent, ["support"], Password, actor: "test");
        await accounts.AddAsync("suzuki", "鈴木 主任", AgentRole.Supervisor, ["*"], Password, actor: "test");
        await accounts.AddAsync("admin", "管理者", AgentRole.Admin, ["*"], Password, actor: "test");
        string[][] conversations =
        [
            ["送料はいくらですか"], ["送料はいくらですか"], ["担当者と話したい"], ["注文状況を知りたい", "abc"],
            ["あいうえおかきくけこ"], ["連絡先は taro.yamada@example.jp と 090-1234-5678 です"],
        ];
        for (var c = 0; c < conversations.Length; c++)
        {
            for (var m = 0; m < conversations[c].Length; m++)
                await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity($"insight-{c}", m, text: conversations[c][m]));
        }
        return server;
    }

    [Fact]
    public async Task Supervisors_see_the_report_agents_get_403_and_unmasking_is_for_admins_and_audited()
    {
        await using var server = await StartWithConversationsAsync();

        using var anonymous = AgentSession.Anonymous(server.BaseAddress);
        using (var response = await anonymous.GetAsync("/insight?scenario=retail-support"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/agent/insight?scenario=retail-support", response.Headers.Location?.ToString());
        }
        using (var response = await anonymous.GetAsync("/agent/insight?scenario=retail-support"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/agent/login?returnUrl=", response.Headers.Location?.ToString());
        }
        var (agent, _) = await AgentSession.SignInAsync(server.BaseAddress, "tanaka", Password);
        using (agent)
        using (var response = await agent.GetAsync("/agent/insight"))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var (supervisor, _) = await AgentSession.SignInAsync(server.BaseAddress, "suzuki", Password);
        using (supervisor)
        {
            using var response = await supervisor.GetAsync("/agent/insight?scenario=retail-support&sessionTimeout=45");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.StartsWith("default-src 'none'; style-src 'sha256-", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Contains("ボットが解決できていること", html);
            Assert.Contains("45 分", html);
            Assert.DoesNotContain("taro.yamada@example.jp", html);
            Assert.DoesNotContain("090-1234-5678", html);
            using var json = await supervisor.GetAsync("/agent/insight?scenario=retail-support&format=json");
            Assert.Contains("\"contained\": 2", await json.Content.ReadAsStringAsync());
            using var unmasked = await supervisor.GetAsync("/agent/insight?mask=off");
            Assert.Equal(HttpStatusCode.Forbidden, unmasked.StatusCode);
            using var badTime = await supervisor.GetAsync("/agent/insight?from=yesterday");
            Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        }

        var (admin, _) = await AgentSession.SignInAsync(server.BaseAddress, "admin", Password);
        using (admin)
        {
            using var response = await admin.GetAsync("/agent/insight?mask=off");
            Assert.Contains("taro.yamada@example.jp", await response.Content.ReadAsStringAsync());
        }
        var audit = await server.Service<IHubStore>().ReadAuditAsync(new AuditQuery(Actor: "admin"), CancellationToken.None);
        Assert.Contains(audit, a => a.Action == AuditActions.ReportUnmasked);
    }

    [Fact]
    public async Task The_report_page_renders_Japanese_in_Chromium_and_requests_nothing()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; test.sh does).");
        await using var server = await StartWithConversationsAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "ja-JP" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };

        await page.GotoAsync(new Uri(server.BaseAddress, "/insight?scenario=retail-support").ToString());
        await page.GetByTestId("login-name").FillAsync("suzuki");
        await page.GetByTestId("login-password").FillAsync(Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync("**/agent/insight?scenario=retail-support");

        // From here on, every request the report page makes is recorded and refused.
        var requests = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            lock (requests) requests.Add(route.Request.Url);
            await route.AbortAsync();
        });
        var html = await page.ContentAsync();
        await page.SetContentAsync(html);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("ボットが解決できていること・できていないこと");
        Assert.True(await page.Locator("svg").CountAsync() >= 2, "the funnel and the outcome bars are inline SVG");

        // No tofu: two different kana drawn in the page's font differ from each other and from a code point no font has.
        var distinct = await page.EvaluateAsync<bool>("""
            () => {
              const font = getComputedStyle(document.querySelector('h1')).fontFamily;
              const draw = ch => { const c = document.createElement('canvas'); c.width = c.height = 40; const x = c.getContext('2d');
                x.font = '32px ' + font; x.fillText(ch, 2, 32); return c.toDataURL(); };
              const a = draw('解'), b = draw('決'), missing = draw('\u{10FFFD}');
              return a !== b && a !== missing && b !== missing;
            }
            """);
        Assert.True(distinct, "Japanese glyphs render as boxes (tofu): install a Japanese font (fonts-ipafont-gothic)");
        var directory = Path.Combine(Repo.Artifacts, "insight");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "insight-ja.png"), FullPage = true });
        Assert.Empty(requests);
        Assert.Empty(errors);
    }
}
