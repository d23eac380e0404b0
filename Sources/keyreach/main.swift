print("keyreach")
