//! The preview's Markdown dialect through the commands: the linked site's by default, chosen by
//! hand (remembered), an unknown name refused in words, and the preview renders in it.
mod common;
use common::{invoke, test_app_with};
use serde_json::json;

#[test]
fn the_preview_renders_in_the_chosen_or_the_sites_dialect() {
    let app = test_app_with(|library, dir| {
        let site = dir.join("site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("hugo.toml"), "title = 'x'\n").unwrap();
        library.set_linked_site(Some(&site)).unwrap();
    });
    let info = invoke(&app, "preview_dialect", json!({})).unwrap();
    assert_eq!((info["choice"].as_str(), info["source"].as_str()), (Some("site"), Some("site")), "{info}");
    assert_eq!(info["dialect"]["flavor"], "hugo");
    let text = "\"Hi\" -- there\n";
    let hugo = invoke(&app, "render_preview", json!({ "text": text, "version": 1, "reset": true })).unwrap();
    assert!(hugo["blocks"][0]["html"].as_str().unwrap().contains("“Hi” – there"), "{hugo}");

    let chosen = invoke(&app, "set_preview_dialect", json!({ "choice": "galley" })).unwrap();
    assert_eq!((chosen["choice"].as_str(), chosen["source"].as_str()), (Some("galley"), Some("chosen")));
    let galley = invoke(&app, "render_preview", json!({ "text": text, "version": 2, "reset": true })).unwrap();
    assert!(galley["blocks"][0]["html"].as_str().unwrap().contains("\"Hi\" -- there"), "{galley}");
    assert_eq!(invoke(&app, "preview_dialect", json!({})).unwrap()["choice"], "galley", "the choice is remembered");

    let error = invoke(&app, "set_preview_dialect", json!({ "choice": "gatsby" })).unwrap_err();
    assert!(error["message"].as_str().unwrap().contains("not a Markdown dialect Galley knows"), "{error}");
    assert_eq!(invoke(&app, "set_preview_dialect", json!({ "choice": "site" })).unwrap()["dialect"]["flavor"], "hugo");
}
