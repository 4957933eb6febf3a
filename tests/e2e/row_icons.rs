//! A program's row shows the app's own icon: one picked from the installed applications
//! gets the `Icon=` of its desktop entry, found in the user's icon theme through GTK, as
//! an `<img>`. The icon is only in that theme (chosen in GTK's own settings.ini), not in
//! hicolor or pixmaps, so only GTK's lookup finds it.

use crate::driver::AppSession;
use crate::steps::*;

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"48\" height=\"48\">\
                   <rect width=\"48\" height=\"48\" fill=\"#3584e4\"/></svg>";

#[tokio::test]
async fn a_program_picked_with_an_icon_shows_it_on_its_row() {
    let session = AppSession::start_with(|home| {
        let theme = home.join(".local/share/icons/LgTestTheme");
        std::fs::create_dir_all(theme.join("scalable/apps")).unwrap();
        std::fs::write(
            theme.join("index.theme"),
            "[Icon Theme]\nName=LgTestTheme\nInherits=hicolor\nDirectories=scalable/apps\n\n\
             [scalable/apps]\nSize=48\nMinSize=8\nMaxSize=512\nType=Scalable\nContext=Applications\n",
        )
        .unwrap();
        std::fs::write(theme.join("scalable/apps/lg-iconic-sample.svg"), SVG).unwrap();
        let gtk = home.join(".config/gtk-3.0");
        std::fs::create_dir_all(&gtk).unwrap();
        std::fs::write(
            gtk.join("settings.ini"),
            "[Settings]\ngtk-icon-theme-name=LgTestTheme\n",
        )
        .unwrap();
    })
    .await;
    let pid_file = session.home().join("iconic.pid");
    let apps = session.home().join(".local/share/applications");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("org.example.Iconic.desktop"),
        format!(
            "[Desktop Entry]\nType=Application\nName=Iconic Sample\nIcon=lg-iconic-sample\n\
             Exec={} --pid-file {}\n",
            lifeguard_testprog::path().display(),
            pid_file.display()
        ),
    )
    .unwrap();

    click(&session, "nav a[data-route=protect]").await;
    fill(&session, "#picker-search", "Iconic").await;
    let choice = "button.choice[data-name=\"Iconic Sample\"]";
    let picked = find(&session, &format!("{choice} img.avatar")).await;
    let src = picked.attr("src").await.unwrap().unwrap_or_default();
    assert!(src.starts_with("data:image/svg+xml;base64,"), "{src}");
    click(&session, choice).await;
    click(&session, "button[data-action=save]").await;
    let row = "li[data-program=\"iconic-sample\"]";
    text_until(&session, &format!("{row} [data-role=state]"), |t| {
        t.starts_with("Running")
    })
    .await;

    let icon = find(&session, &format!("{row} img.avatar")).await;
    let src = icon.attr("src").await.unwrap().unwrap_or_default();
    assert!(
        src.starts_with("data:image/svg+xml;base64,"),
        "the row must show the app's icon, not a letter: {src}"
    );
    session.close().await;
}
