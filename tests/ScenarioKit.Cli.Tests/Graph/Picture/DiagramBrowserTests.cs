using Microsoft.Playwright;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Graph.Picture;

/// <summary>
/// The html diagram of the Japanese sample (with a --db overlay) in headless Debian Chromium, as the Web Chat tests run
/// it: Chromium from apt (test.sh), never Playwright's download. Screenshots go to TestResults/artifacts.
/// </summary>
public sealed class DiagramBrowserTests : IDisposable
{
    const string ChromiumPath = "/usr/lib/chromium/chromium";
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sk-diagram-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Japanese_diagram_renders_without_tofu_fetches_nothing_and_pans_and_zooms()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium and fonts-ipafont-gothic (test.sh does).");
        var html = Path.Combine(_directory.FullName, "retail-support.html");
        var run = await CliHarness.RunAsync("graph", RepoPaths.Combine("scenarios", "retail-support"), "--format", "html", "-o", html);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 }, Locale = "ja-JP" });
        var pageUrl = new Uri(html).AbsoluteUri;
        var requests = new List<string>();
        // Every request is intercepted: the page itself is let through, anything else is recorded and refused.
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url == pageUrl)
            {
                await route.ContinueAsync();
                return;
            }
            requests.Add(route.Request.Url);
            await route.AbortAsync();
        });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };

        await page.GotoAsync(pageUrl);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "diagram-retail-support.png") });

        Assert.Empty(requests);
        Assert.Empty(errors);
        Assert.True(await page.Locator("svg.scenariokit-diagram g.node").CountAsync() > 50);
        await Assertions.Expect(page.Locator("svg.scenariokit-diagram g.node", new() { HasText = "ご注文番号" }).First).ToBeAttachedAsync();

        // Tofu: a character no font has is drawn as a box; every Japanese character on the page must draw differently.
        var tofu = await page.EvaluateAsync<string[]>("""
            () => {
              const font = '24px ' + getComputedStyle(document.querySelector('svg.scenariokit-diagram text')).fontFamily;
              const canvas = document.createElement('canvas'); canvas.width = 32; canvas.height = 32;
              const ctx = canvas.getContext('2d', { willReadFrequently: true });
              const draw = ch => { ctx.clearRect(0, 0, 32, 32); ctx.font = font; ctx.fillText(ch, 2, 26); return ctx.getImageData(0, 0, 32, 32).data.join(','); };
              const box = draw('\u{10FFFD}');
              const text = [...document.querySelectorAll('svg.scenariokit-diagram text')].map(t => t.textContent).join('');
              const japanese = [...new Set([...text].filter(c => /[\u3040-\u30ff\u4e00-\u9fff]/.test(c)))];
              if (japanese.length < 20) return ['too little Japanese on the page: ' + japanese.join('')];
              return japanese.filter(c => draw(c) === box || draw(c) === draw(' '));
            }
            """);
        Assert.Empty(tofu);

        // Zoom in with the wheel and pan by dragging: the SVG's viewBox follows.
        var svg = page.Locator("#view svg");
        var before = await svg.GetAttributeAsync("viewBox");
        await page.Mouse.MoveAsync(800, 500);
        await page.Mouse.WheelAsync(0, -400);
        var zoomed = await svg.GetAttributeAsync("viewBox");
        Assert.NotEqual(before, zoomed);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(600, 400, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        Assert.NotEqual(zoomed, await svg.GetAttributeAsync("viewBox"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "diagram-retail-support-zoomed.png") });
        await page.ClickAsync("#fit");
        Assert.Equal(ViewBox(before), ViewBox(await svg.GetAttributeAsync("viewBox")));
    }

    /// <summary>The viewBox rounded to a tenth: the browser writes back the float32 values the SVG DOM keeps.</summary>
    static double[] ViewBox(string? text) =>
        [.. (text ?? "").Split(' ').Select(v => Math.Round(double.Parse(v, System.Globalization.CultureInfo.InvariantCulture), 1))];

    static string Artifacts
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts");
            Directory.CreateDirectory(path);
            return path;
        }
    }
}
