import CRMCommands; CRMCtl.runAndExit()
