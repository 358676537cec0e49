using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace EventLedger.Tests.OperatorConsole;

/// <summary>
/// Debian's Chromium, headless, driven through the system chromedriver (no browser download: these
/// machines reach no browser store). 1280 px wide unless a test asks for a tablet's width.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    /// <summary>Where Debian puts them (<c>apt-get install chromium chromium-driver</c>; <c>.ci/run</c> does).</summary>
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriverDirectory = "/usr/bin";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string _baseUrl;

    public ConsoleBrowser(string baseUrl, int width = 1280, int height = 1000)
    {
        File.Exists(Chromium).Should().BeTrue("the browser tests need Chromium and its driver: apt-get install chromium chromium-driver");
        _baseUrl = baseUrl.TrimEnd('/');
        var service = ChromeDriverService.CreateDefaultService(ChromeDriverDirectory, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        // Root in a container has no user namespace for Chromium's sandbox; /dev/shm is small there.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", $"--window-size={width},{height}",
            "--lang=en-GB", "--force-device-scale-factor=1");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    public string Url => Driver.Url;

    public string Text => Driver.FindElement(By.TagName("body")).Text;

    public string Html => Driver.PageSource;

    public void Go(string path) => Driver.Navigate().GoToUrl(_baseUrl + path);

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    public void Type(string css, string text)
    {
        var field = Find(css);
        field.Clear();
        field.SendKeys(text);
    }

    public void Click(string css) => Find(css).Click();

    /// <summary>Clicks what loads another page, and waits until the page it was on is gone and the new one loaded.</summary>
    public void Submit(string css)
    {
        Driver.ExecuteScript("document.documentElement.setAttribute('data-leaving', '1')");
        Find(css).Click();
        Wait(d => ((IJavaScriptExecutor)d).ExecuteScript(
            "return document.readyState === 'complete' && !document.documentElement.hasAttribute('data-leaving')") is true,
            $"the page to change after clicking {css}");
    }

    /// <summary>Waits until the page shows this text (a page load or a reload), failing with what it shows instead.</summary>
    public void WaitForText(string text)
    {
        Wait(d => d.FindElement(By.TagName("body")).Text.Contains(text, StringComparison.Ordinal), $"the page to show \"{text}\"");
    }

    private void Wait(Func<IWebDriver, bool> condition, string what)
    {
        var wait = new WebDriverWait(Driver, Patience);
        // A page being replaced while it is read (stale elements, nodes of the old document, a
        // script run mid-navigation): read it again.
        wait.IgnoreExceptionTypes(typeof(WebDriverException));
        try
        {
            wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"waited {Patience.TotalSeconds} s for {what} at {Driver.Url}; the page shows:\n{Text}");
        }
    }

    public void SignIn(string user, string password)
    {
        Go("/console/sign-in");
        Type("#user", user);
        Type("#password", password);
        Submit("#sign-in");
    }

    /// <summary>
    /// Saves what the browser shows as <paramref name="name"/>.png in the screenshot directory:
    /// <c>EVENTLEDGER_SCREENSHOTS</c> when set (<c>docs/console</c> refreshes the documentation's),
    /// else the test output's.
    /// </summary>
    public void Screenshot(string name)
    {
        var directory = Environment.GetEnvironmentVariable("EVENTLEDGER_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var height = Convert.ToInt32(Driver.ExecuteScript("return document.documentElement.scrollHeight"), System.Globalization.CultureInfo.InvariantCulture);
        var width = Driver.Manage().Window.Size.Width;
        Driver.Manage().Window.Size = new System.Drawing.Size(width, Math.Clamp(height + 120, 600, 2400));
        Driver.GetScreenshot().SaveAsFile(Path.Combine(directory, name + ".png"));
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
