using System.Net;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.OperatorConsole;

/// <summary>
/// The console in a real browser against a real switch: sign in, read each page, act where the
/// role allows, and be refused where it does not. Each test signs in afresh in its own browser.
/// The screenshots in docs/console.md are the ones these tests take.
/// </summary>
[Collection(ConsoleGroup.Name)]
public sealed class ConsoleTests(ConsoleSwitch console)
{
    private ConsoleBrowser Browser(int width = 1280) => new(console.Url, width);

    private ConsoleBrowser SignedIn(string user = ConsoleSwitch.Operator, string password = ConsoleSwitch.OperatorPassword)
    {
        var browser = Browser();
        browser.SignIn(user, password);
        browser.WaitForText("Overview");
        return browser;
    }

    [Fact]
    public async Task An_operator_signs_in_to_the_overview_of_readiness_backlog_throughput_and_failures()
    {
        await console.RedeemedAsync();
        using var browser = Browser();
        browser.Go("/console");
        browser.Url.Should().Contain("/console/sign-in", "the console is closed to anyone not signed in");
        browser.Screenshot("sign-in");

        browser.SignIn(ConsoleSwitch.Operator, ConsoleSwitch.OperatorPassword);
        browser.WaitForText("Redemptions per minute");

        browser.Find("#database").Text.Should().Be("Available");
        browser.Find("#readiness").Text.Should().BeOneOf("Healthy", "Degraded");
        browser.Find("#who").Text.Should().Contain("Console Operator").And.Contain("Operator").And.Contain("Finance");
        browser.FindAll("svg.chart rect").Should().NotBeEmpty("one bar per minute of the charted hours");
        browser.Html.Should().Contain("<meta http-equiv=\"refresh\"", "the overview refreshes itself");
        browser.Screenshot("overview");
    }

    [Fact]
    public async Task A_redemption_is_found_by_its_voucher_code_and_its_timeline_shows_every_event_with_the_code_masked()
    {
        var (request, code) = await console.RedeemedAsync();
        using var browser = SignedIn();

        browser.Go("/console/transactions");
        browser.Type("#voucherCode", code);
        browser.Submit("#find");
        browser.WaitForText(request.Id!);
        browser.FindAll("#results tbody tr").Should().ContainSingle("one redemption of this voucher");
        browser.Url.Should().NotContain(code, "the code never travels in a URL");
        browser.Screenshot("transactions");

        browser.Driver.FindElement(OpenQA.Selenium.By.LinkText(request.Id!)).Click();
        browser.WaitForText("RedemptionRequested");
        browser.Text.Should().Contain("VoucherRedeemed");
        browser.Find("#status").Text.Should().Be("Approved");
        browser.Html.Should().NotContain(code, "codes are masked in events, views and pages");
        browser.Screenshot("timeline");
    }

    [Fact]
    public async Task An_operator_retries_a_pending_advice_after_confirming_and_the_timeline_names_them()
    {
        var confirmation = await console.PendingConfirmationAsync();
        using var browser = SignedIn();

        browser.Go("/console/advices?status=Pending&provider=" + TestProvider.Id);
        browser.WaitForText(confirmation.RequestId!);
        browser.Screenshot("advices");
        var row = browser.FindAll("#advices tbody tr").Single(r => r.Text.Contains(confirmation.RequestId!, StringComparison.Ordinal));
        row.Text.Should().Contain("HTTP 503", "the last error is shown");
        row.FindElement(OpenQA.Selenium.By.CssSelector("a.button")).Click();

        browser.WaitForText("Retry an advice");
        (await console.Ledger.EventsAsync(SwitchFixture.ClientId, confirmation.RequestId!)).OfType<EventLedger.Redemptions.AdviceRetryRequested>()
            .Should().BeEmpty("nothing is done before the operator confirms");
        browser.Screenshot("advice-retry");
        browser.Submit("#confirm");
        browser.WaitForText("Queued");

        var events = await console.Ledger.EventsAsync(SwitchFixture.ClientId, confirmation.RequestId!);
        events.OfType<EventLedger.Redemptions.AdviceRetryRequested>().Should().ContainSingle().Which.OperatorId.Should().Be(ConsoleSwitch.Operator);
        await Eventually.ReturnsAsync(() => console.Provider.Received(global::EventLedger.ProviderSimulator.Operation.ConfirmRedemption, confirmation), n => n >= 2,
            TimeSpan.FromSeconds(30), "the retried attempt to reach the provider");

        browser.Submit("#transaction");
        browser.WaitForText("AdviceRetryRequested");
        browser.Text.Should().Contain("operator " + ConsoleSwitch.Operator);
    }

    [Fact]
    public async Task Finance_reads_a_days_totals_closes_a_day_that_ended_and_matches_a_settlement_file()
    {
        var (request, _) = await console.RedeemedAsync();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var ended = DateTimeOffset.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var browser = SignedIn();

        browser.Go("/console/finance?day=" + today);
        browser.WaitForText("Totals");
        browser.FindAll("table.totals tbody tr").Should().Contain(r => r.Text.Contains(TestProvider.Id, StringComparison.Ordinal));
        browser.FindAll("svg.chart rect").Should().HaveCount(7, "one bar per status");
        browser.Screenshot("finance");

        browser.Go("/console/finance?day=" + ended);
        browser.Submit("#close-day");
        browser.WaitForText("Closing freezes");
        browser.Screenshot("close-day");
        browser.Submit("#confirm");
        browser.WaitForText("is closed");
        browser.Submit("#back");
        browser.WaitForText("Closed by " + ConsoleSwitch.Operator);
        browser.Find("#closed-days").Text.Should().Contain(ended);

        // Today's redemptions are matched as the view holds them: this one once it is there.
        var view = await Eventually.ReturnsAsync<EventLedger.Redemptions.RedemptionView?>(() => console.Ledger.ViewAsync(request.Id!), v => v is not null, TimeSpan.FromSeconds(30), "the redemption's view");
        var file = Path.Combine(Path.GetTempPath(), $"settlement-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file,
            "requestId,providerReference,amountMinor,currency,status\n" +
            $"{view!.UpstreamRequestId},{view.ProviderReference},{view.ApprovedAmountMinor},{view.Currency},REDEEMED\n" +
            $"{Guid.NewGuid()},,500,710,REDEEMED\n");
        browser.Go("/console/finance/settlement?day=" + today);
        browser.Click($"#provider option[value='{TestProvider.Id}']");
        browser.Find("#file").SendKeys(file);
        browser.Submit("#match");
        browser.WaitForText("breaks");
        browser.Find("#summary").Text.Should().Contain("2 lines, 1 matched").And.Contain("Matched by " + ConsoleSwitch.Operator);
        browser.FindAll("#breaks tbody tr").Should().Contain(r => r.Text.StartsWith("MissingAtSwitch", StringComparison.Ordinal),
            "the line the ledger does not hold is a break");
        browser.FindAll("#breaks tbody tr").Should().NotContain(r => r.Text.Contains(view.UpstreamRequestId!, StringComparison.Ordinal),
            "the redemption both sides agree on is matched, not a break");
        browser.Screenshot("settlement");
        browser.Go("/console/finance?day=" + today);
        browser.WaitForText("Settlement files");
        browser.FindAll("#settlements tbody tr").Should().Contain(r => r.Text.Contains(TestProvider.Id, StringComparison.Ordinal)
            && r.Text.Contains(ConsoleSwitch.Operator, StringComparison.Ordinal), "the day lists each provider's latest match and who made it");

        using (var anonymous = console.Http())
        {
            using var refused = await anonymous.GetAsync($"/console/finance?handler=csv&day={today}");
            refused.StatusCode.Should().Be(HttpStatusCode.Redirect, "a download needs the session like any page");
        }

        using var http = console.Http();
        http.DefaultRequestHeaders.Add("Cookie", $"EventLedger.Console={browser.Driver.Manage().Cookies.GetCookieNamed("EventLedger.Console")!.Value}");
        using var totals = await http.GetAsync($"/console/finance?handler=csv&day={today}");
        totals.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        (await totals.Content.ReadAsStringAsync()).Should().StartWith("Provider,Merchant,Currency,Approved").And.Contain(TestProvider.Id);
        using var breaks = await http.GetAsync($"/console/finance/settlement?handler=csv&day={today}&provider={TestProvider.Id}&result=MissingAtSwitch");
        var breaksCsv = await breaks.Content.ReadAsStringAsync();
        breaksCsv.Should().StartWith("Result,RequestId").And.Contain("MissingAtSwitch").And.NotContain("MissingAtProvider", "the filter holds in the download");
    }

    [Fact]
    public async Task The_projections_page_shows_each_projections_lag_and_an_operator_rebuilds_one_watching_its_progress()
    {
        using var browser = SignedIn();
        browser.Go("/console/projections");
        browser.WaitForText("RedemptionView");
        browser.Screenshot("projections");

        browser.Click("#projections details summary");
        browser.Submit("#rebuild-RedemptionView");
        browser.WaitForText("Rebuild of RedemptionView started");
        browser.Go("/console/projections");
        browser.WaitForText("finished");
        browser.Text.Should().Contain("Last rebuild of RedemptionView by " + ConsoleSwitch.Operator + " finished");

        var (request, _) = await console.RedeemedAsync();
        await Eventually.ReturnsAsync<EventLedger.Redemptions.RedemptionView?>(() => console.Ledger.ViewAsync(request.Id!), v => v is not null,
            TimeSpan.FromSeconds(30), "a redemption made after the rebuild to reach the view: the projection runs again");
    }

    [Fact]
    public async Task A_viewer_reads_every_page_but_is_offered_no_action_and_refused_any_it_asks_for()
    {
        var confirmation = await console.PendingConfirmationAsync();
        using var browser = SignedIn(ConsoleSwitch.Viewer, ConsoleSwitch.ViewerPassword);

        browser.Go("/console/advices?status=Pending");
        browser.WaitForText(confirmation.RequestId!);
        browser.FindAll("#advices a.button").Should().BeEmpty("a viewer is offered no retry");
        var delivery = await console.Ledger.DeliveryAsync(confirmation.RequestId!, confirmation.Id!);

        browser.Go("/console/advices/action?kind=Retry&id=" + Uri.EscapeDataString(delivery!.Id));
        browser.WaitForText("Not allowed");
        browser.Go("/console/finance/close?day=2026-01-01");
        browser.WaitForText("Not allowed");
        browser.Go("/console/finance/settlement?day=2026-01-01");
        browser.WaitForText("Settlement file for 2026-01-01");
        browser.FindAll("#upload").Should().BeEmpty("a viewer reads matches but uploads no file");
        browser.Go("/console/projections");
        browser.WaitForText("RedemptionView");
        browser.FindAll("#projections button").Should().BeEmpty("a viewer is offered no rebuild");
        browser.Go("/console/finance");
        browser.WaitForText("Totals");
        browser.FindAll("#close-day").Should().BeEmpty();
    }

    [Fact]
    public void A_tills_credentials_do_not_open_the_console()
    {
        using var browser = Browser();
        browser.SignIn(SwitchFixture.ClientId, SwitchFixture.ClientPassword);
        browser.WaitForText("Unknown user or wrong password");
        browser.Url.Should().Contain("/console/sign-in");
        browser.Go("/console");
        browser.Url.Should().Contain("/console/sign-in");
    }

    [Fact]
    public void Signing_out_ends_the_session()
    {
        using var browser = SignedIn();
        browser.Submit("#sign-out");
        browser.WaitForText("Sign in to the console");
        browser.Go("/console/transactions");
        browser.Url.Should().Contain("/console/sign-in");
    }

    [Fact]
    public void Failed_sign_ins_are_throttled_like_the_apis()
    {
        using var browser = Browser();
        var user = "guess-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < EventLedger.Accounts.SignInThrottle.PerAccountAndAddress; i++)
        {
            browser.SignIn(user, "wrong-" + i);
            browser.WaitForText("Unknown user or wrong password");
        }

        browser.SignIn(user, "wrong-again");
        browser.WaitForText("Too many sign-ins");
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        using var http = console.Http();
        using var signIn = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = ConsoleSwitch.Operator, ["password"] = ConsoleSwitch.OperatorPassword,
        }));
        signIn.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a sign-in form from another site is refused");
        signIn.Headers.Contains("Set-Cookie").Should().BeFalse("no session was opened");
    }

    [Fact]
    public void The_console_serves_every_asset_itself_and_fits_a_tablet()
    {
        using var browser = Browser(width: 800);
        browser.SignIn(ConsoleSwitch.Operator, ConsoleSwitch.OperatorPassword);
        browser.WaitForText("Overview");
        var sources = browser.FindAll("link[href], script[src], img[src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src"));
        sources.Should().OnlyContain(s => s.StartsWith('/') || s.StartsWith(console.Url, StringComparison.Ordinal), "no CDN");
        var overflow = Convert.ToInt64(browser.Driver.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth"),
            System.Globalization.CultureInfo.InvariantCulture);
        overflow.Should().BeLessThanOrEqualTo(0, "the page does not scroll sideways at 800 px; wide tables scroll inside their box");
        browser.Go("/console/transactions");
        browser.WaitForText("Voucher code");
        var fields = browser.FindAll("input:not([type=hidden]), select");
        fields.Should().HaveCountGreaterThan(5);
        fields.Should().OnlyContain(i => browser.FindAll($"label[for='{i.GetAttribute("id")}']").Count == 1, "every field has its label");
    }
}
