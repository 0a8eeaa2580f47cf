using System.Net;
using System.Text.RegularExpressions;
using ScenarioKit.Server.Agent;

namespace ScenarioKit.Server.Tests.Agent;

public sealed partial class AgentPageEndpointsTests
{
    [Fact]
    public async Task Login_page_carries_an_antiforgery_token_a_local_returnUrl_and_the_error_as_text()
    {
        await using var host = await AgentPageHost.StartAsync();
        using var response = await host.Http.GetAsync("/agent/login?lang=ja&error=invalid&returnUrl=" + Uri.EscapeDataString("/agent?lang=ja"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(TokenField(), html);
        Assert.Contains("<html lang=\"ja\">", html, StringComparison.Ordinal);
        Assert.Contains("ログインIDまたはパスワードが正しくありません。", html, StringComparison.Ordinal);
        Assert.Contains("name=\"returnUrl\" value=\"/agent?lang=ja\"", html, StringComparison.Ordinal);
        Assert.Contains(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)));
        AssertStrictPage(response, html);
    }

    [Theory]
    [InlineData("https://evil.example/agent")]
    [InlineData("//evil.example/agent")]
    [InlineData("/agent//evil.example")]
    [InlineData("/agent\\..\\x")]
    [InlineData("/agentx")]
    [InlineData("/api/messages")]
    public async Task Login_page_replaces_a_foreign_returnUrl_with_the_console(string returnUrl)
    {
        await using var host = await AgentPageHost.StartAsync();
        var html = await host.Http.GetStringAsync("/agent/login?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Contains("name=\"returnUrl\" value=\"/agent\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_page_never_reflects_an_unknown_error_or_markup_in_the_returnUrl()
    {
        await using var host = await AgentPageHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/agent/login?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&returnUrl=" + Uri.EscapeDataString("/agent?\"><script>alert(2)</script>"));
        request.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9,ja;q=0.8");
        using var response = await host.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("Signing in did not work.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("value=\"/agent?&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\"", html, StringComparison.Ordinal);
        AssertStrictPage(response, html);
    }

    [Theory]
    [InlineData("ja,en;q=0.5", "ja")]
    [InlineData("en;q=0.4,ja-JP;q=0.9", "ja")]
    [InlineData("fr-FR,en;q=0.8", "en")]
    [InlineData("", "en")]
    public async Task Login_page_speaks_the_language_the_browser_prefers(string acceptLanguage, string expected)
    {
        await using var host = await AgentPageHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/agent/login");
        if (acceptLanguage.Length > 0) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        using var response = await host.Http.SendAsync(request);

        Assert.Contains($"<html lang=\"{expected}\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_sends_an_anonymous_visitor_to_the_login_page_with_the_way_back()
    {
        await using var host = await AgentPageHost.StartAsync();
        using var response = await host.Http.GetAsync("/agent?lang=ja");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/agent/login?returnUrl=%2Fagent%3Flang%3Dja", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Console_embeds_the_antiforgery_token_and_links_only_local_versioned_assets()
    {
        await using var host = await AgentPageHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/agent");
        request.Headers.Add(AgentPageHost.SignedInHeader, "1");
        using var response = await host.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(CsrfMeta(), html);
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, scripts.Count);
        Assert.All(scripts, s => Assert.Matches("^/agent/assets/(signalr\\.min|console)\\.js\\?v=[0-9a-f]{16}$", s));
        AssertStrictPage(response, html);
    }

    [Theory]
    [InlineData("console.js", "text/javascript")]
    [InlineData("console.css", "text/css")]
    [InlineData("signalr.min.js", "text/javascript")]
    public async Task Assets_have_their_content_type_and_are_cached_for_good_only_under_their_versioned_url(string file, string contentType)
    {
        await using var host = await AgentPageHost.StartAsync();
        using var plain = await host.Http.GetAsync("/agent/assets/" + file);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(contentType, plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", plain.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", plain.Headers.GetValues("X-Content-Type-Options").Single());
        var etag = plain.Headers.ETag!;
        Assert.NotEmpty(await plain.Content.ReadAsByteArrayAsync());

        var version = etag.Tag.Trim('"');
        using var versioned = await host.Http.GetAsync($"/agent/assets/{file}?v={version}");
        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl?.ToString());

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/agent/assets/" + file);
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await host.Http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Assets_outside_the_list_are_not_found()
    {
        await using var host = await AgentPageHost.StartAsync();
        foreach (var path in new[] { "/agent/assets/console.html", "/agent/assets/login.html", "/agent/assets/..%2FAgentPageEndpoints.cs" })
        {
            using var response = await host.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public void The_console_script_never_parses_markup()
    {
        var script = File.ReadAllText(Path.Combine(Infrastructure.Repo.Root, "src", "ScenarioKit.Server", "Agent", "Console", "console.js"));
        foreach (var sink in new[] { ".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
            Assert.DoesNotContain(sink, script.Replace("never assigns innerHTML", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    static void AssertStrictPage(HttpResponseMessage response, string html)
    {
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        // No inline script or style, no event-handler attributes, nothing from another host.
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=\"/agent/assets/)", html);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("\\son[a-z]+=", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"[A-Za-z0-9_-]{40,}\">")]
    private static partial Regex TokenField();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"[A-Za-z0-9_-]{40,}\">")]
    private static partial Regex CsrfMeta();

    [GeneratedRegex("<script src=\"([^\"]+)\" defer></script>")]
    private static partial Regex ScriptSource();
}
