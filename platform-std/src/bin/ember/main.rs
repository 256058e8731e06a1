//! `ember`: the command-line WebAssembly runtime. `ember run app.wasm`
//! runs a WASI program; see `ember --help`.

mod cli;
mod run;

use cli::Command;

fn main() {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let outcome = match cli::parse(args) {
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            Ok(())
        }
        Ok(Command::Version) => {
            println!("ember {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Ok(Command::Validate(file)) => run::validate(&file).map(|()| {
            println!("{}: valid", file.display());
        }),
        Ok(Command::Compile(file)) => run::compile(&file),
        Ok(Command::Run(options)) => run::run(&options),
        Err(e) => Err(run::Failure::Usage(format!("{e} (see `ember --help`)"))),
    };
    if let Err(failure) = outcome {
        if let Some(message) = failure.message() {
            eprintln!("error: {message}");
        }
        std::process::exit(failure.exit_status());
    }
}
