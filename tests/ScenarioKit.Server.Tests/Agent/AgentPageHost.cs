using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScenarioKit.Server.Agent;

namespace ScenarioKit.Server.Tests.Agent;

/// <summary>
/// Only the console's pages and assets (<see cref="AgentPageEndpoints"/>) on 127.0.0.1, with antiforgery and a stand-in
/// for sign-in: a request with the <see cref="SignedInHeader"/> header counts as an authenticated agent. The pages
/// are tested here apart from the hub's APIs; the full server is tested in AgentHubBrowserTests.
/// </summary>
internal sealed class AgentPageHost : IAsyncDisposable
{
    public const string SignedInHeader = "X-Test-Signed-In";

    readonly WebApplication _app;

    AgentPageHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static async Task<AgentPageHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        builder.Services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(SignedInHeader))
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "tanaka")], "Test"));
            return next(context);
        });
        AgentPageEndpoints.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new AgentPageHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
