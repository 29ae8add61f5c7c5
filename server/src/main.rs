use clap::{Parser, Subcommand};
use server::config::Config;
use server::{ServerError, admin, database, demo, prepare, serve, tally_command};
use std::process::ExitCode;
use tokio::net::TcpListener;

/// Participatory budgeting for neighborhoods.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    #[command(flatten)]
    Server(ServerCommand),
    /// Compute the winners of a Pabulib `.pb` file.
    Tally(tally_command::TallyArgs),
}

#[derive(Subcommand, Debug)]
enum ServerCommand {
    /// Serve the platform (the default).
    Serve {
        /// Load the demo city first, unless the database already has a city.
        #[arg(long)]
        demo: bool,
    },
    /// Create or update the database schema, then exit.
    Migrate,
    /// Load the demo city (Tehran, three districts, twelve neighborhoods), then exit.
    Demo,
    /// City administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Census rolls of district offices.
    #[command(subcommand)]
    Census(CensusCommand),
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create a city administrator; the password is read from standard input.
    Create {
        /// Mobile number (09xxxxxxxxx) or email address.
        login: String,
    },
}

#[derive(Subcommand, Debug)]
enum CensusCommand {
    /// Import a census CSV (national code, birth year, neighborhood) into a district's roll.
    Import {
        file: std::path::PathBuf,
        /// The district's id (shown on the administration page).
        #[arg(long)]
        district: i32,
    },
}

fn main() -> ExitCode {
    let command = Cli::parse()
        .command
        .unwrap_or(Command::Server(ServerCommand::Serve { demo: false }));
    let result = match command {
        Command::Tally(args) => tally_command::run(&args).map_err(ServerError::from),
        Command::Server(command) => Config::from_env().map_err(ServerError::from).and_then(|config| {
            // Commands an operator types speak in their own lines only, errors included.
            init_logging(match command {
                ServerCommand::Admin(_) | ServerCommand::Census(_) => "off",
                _ => &config.log,
            });
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(ServerError::Serve)?
                .block_on(run(command, config))
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    // sqlx reports every statement at INFO; keep it quiet unless asked for.
    let filter = format!("{filter},sqlx=warn");
    // Colours only on a terminal: a log file or a pipe gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&filter).unwrap_or_else(|_| "info".into()))
        .with_ansi(ansi)
        .init();
}

async fn run(command: ServerCommand, config: Config) -> Result<(), ServerError> {
    match command {
        ServerCommand::Serve { demo } => {
            let state = prepare(&config, demo).await?;
            let listener = TcpListener::bind(config.addr)
                .await
                .map_err(|source| ServerError::Listen {
                    addr: config.addr,
                    source,
                })?;
            println!("Serving on http://{}/", config.addr);
            serve(listener, state, shutdown_signal()).await
        }
        ServerCommand::Migrate => {
            let db = database::connect(&config.database_url, config.db_pool).await?;
            database::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        ServerCommand::Admin(AdminCommand::Create { login }) => {
            existing_database(&config)?;
            let password = read_password()?;
            let db = database::connect(&config.database_url, config.db_pool).await?;
            database::migrate(&db).await?;
            let services = server::services(&config, db)?;
            let login = admin::create_admin(&services, &login, password).await?;
            println!("administrator {login} created; sign in at http://{}/login", config.addr);
            Ok(())
        }
        ServerCommand::Census(CensusCommand::Import { file, district }) => {
            existing_database(&config)?;
            let text = std::fs::read_to_string(&file).map_err(|source| ServerError::Read {
                path: file.display().to_string(),
                source,
            })?;
            let db = database::connect(&config.database_url, config.db_pool).await?;
            database::migrate(&db).await?;
            let services = server::services(&config, db)?;
            let count = app::verification::census::import(&services, None, district, &text)
                .await
                .map_err(|refusal| ServerError::Refused(refusal.messages(app::i18n::Lang::En).join("\n")))?;
            println!("{count} residents imported into the roll of district {district}");
            Ok(())
        }
        ServerCommand::Demo => {
            let db = database::connect(&config.database_url, config.db_pool).await?;
            database::migrate(&db).await?;
            let loaded = demo::load(&db).await?;
            println!(
                "{}",
                if loaded {
                    "demo data loaded"
                } else {
                    "a city exists already; nothing loaded"
                }
            );
            Ok(())
        }
    }
}

/// Commands for a platform that exists refuse a database that does not, so
/// that one run from another folder does not make an empty one there.
fn existing_database(config: &Config) -> Result<(), ServerError> {
    match database::missing_sqlite_file(&config.database_url) {
        None => Ok(()),
        Some(path) => Err(ServerError::Refused(format!(
            "there is no database at {}: run this in the platform's folder (where scripts/start ran), \
             or set DATABASE_URL to the platform's database (a new one is made by `server migrate`)",
            path.display()
        ))),
    }
}

/// The new administrator's password: typed twice, unseen, at a terminal; the
/// first line of standard input otherwise.
fn read_password() -> Result<String, ServerError> {
    use std::io::{BufRead, IsTerminal};
    let read_error = |source| ServerError::Read {
        path: "the terminal".to_owned(),
        source,
    };
    if std::io::stdin().is_terminal() {
        let password = rpassword::prompt_password("password for the new administrator: ").map_err(read_error)?;
        let again = rpassword::prompt_password("the same password again: ").map_err(read_error)?;
        if password != again {
            return Err(ServerError::Refused(
                "the two passwords differ; nothing was created".to_owned(),
            ));
        }
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|source| ServerError::Read {
            path: "standard input".to_owned(),
            source,
        })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
